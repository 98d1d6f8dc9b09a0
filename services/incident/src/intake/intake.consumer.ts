import { Injectable, OnModuleInit } from '@nestjs/common';
import { SensorLivenessChanged, VerdictIssuedV2 } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { VerdictIntake } from './verdict-intake';

// analysis' verdicts (v2; an override is published again with overridden: true) and ingestion's
// sensor liveness changes become incidents.
@Injectable()
export class IntakeConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly intake: VerdictIntake,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'incident-verdicts-v2',
      event: VerdictIssuedV2,
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
