import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AlertReceived } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import type { AnalysisConfig } from '../config';
import { AnalysisService } from './analysis.service';

// ingestion's alerts, one verdict each, in batches: one transaction and one inbox statement for up
// to 500 alerts (libs/messaging's batched mode). Each alert runs under its own savepoint inside
// analyse(), so one that fails gets a manual-triage verdict without failing the batch. Two batches
// run at once by default (ALERT_BATCHES_IN_FLIGHT): correlation windows and groups are taken
// under advisory locks, and verdicts are unique per alert, as for two replicas.
@Injectable()
export class AlertsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly analysis: AnalysisService,
    @Inject(PLATFORM_CONFIG) private readonly config: Pick<AnalysisConfig, 'ALERT_BATCHES_IN_FLIGHT'>,
  ) {}

  onModuleInit(): void {
    this.host.registerBatch({
      durable: 'analysis-alerts',
      event: AlertReceived,
      maxBatch: 500,
      inFlight: this.config.ALERT_BATCHES_IN_FLIGHT,
      handleBatch: async (events, { em }) => {
        await this.analysis.analyse(em, events);
      },
    });
  }
}
