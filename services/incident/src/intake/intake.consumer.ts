import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { SensorLivenessChanged, VerdictIssuedV2 } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IncidentConfig } from '../config';
import { VerdictIntake } from './verdict-intake';

// analysis' verdicts (v2; an override is published again with overridden: true) and ingestion's
// sensor liveness changes become incidents. Verdicts come in batches of up to VERDICT_BATCH_MAX, in
// stream order, each batch in one transaction (VerdictIntake.verdicts); a batch that fails twice is
// applied verdict by verdict, so one bad verdict is retried or parked alone.
@Injectable()
export class IntakeConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly intake: VerdictIntake,
    @Inject(PLATFORM_CONFIG) private readonly config: IncidentConfig,
  ) {}

  onModuleInit(): void {
    this.host.registerBatch({
      durable: 'incident-verdicts-v2',
      event: VerdictIssuedV2,
      maxBatch: this.config.VERDICT_BATCH_MAX,
      handleBatch: async (events, { em }) => {
        await this.intake.verdicts(em, events);
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
