import { Injectable, OnModuleInit } from '@nestjs/common';
import { AlertReceived } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { AnalysisService } from './analysis.service';

// ingestion's alerts, one verdict each, in batches: one transaction and one inbox statement for up
// to 500 alerts (libs/messaging's batched mode). Each alert runs under its own savepoint inside
// analyse(), so one that fails gets a manual-triage verdict without failing the batch.
@Injectable()
export class AlertsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly analysis: AnalysisService,
  ) {}

  onModuleInit(): void {
    this.host.registerBatch({
      durable: 'analysis-alerts',
      event: AlertReceived,
      maxBatch: 500,
      handleBatch: async (events, { em }) => {
        await this.analysis.analyse(em, events);
      },
    });
  }
}
