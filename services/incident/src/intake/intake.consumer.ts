import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { SensorLivenessChanged, VerdictIssuedV2 } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IncidentConfig } from '../config';
import { VerdictIntake } from './verdict-intake';

// analysis' verdicts (v2; an override is published again with overridden: true) and ingestion's
// sensor liveness changes become incidents. Verdicts are handled VERDICT_CONCURRENCY at once, those
// of one alert group (or, without a group, of one verdict: its overrides) one after another in
// stream order, so a group's verdicts still open one incident and attach to it in order.
@Injectable()
export class IntakeConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly intake: VerdictIntake,
    @Inject(PLATFORM_CONFIG) private readonly config: IncidentConfig,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'incident-verdicts-v2',
      event: VerdictIssuedV2,
      concurrency: this.config.VERDICT_CONCURRENCY,
      orderKey: (e) => e.body.groupId ?? e.body.verdictId,
      handle: async (e, { em }) => {
        await this.intake.verdict(em, e);
      },
    });
    this.host.register({
      durable: 'incident-sensor-liveness',
      event: SensorLivenessChanged,
      handle: async (e, { em }) => {
        await this.intake.liveness(em, e);
      },
    });
  }
}
