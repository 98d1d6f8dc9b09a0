import { Injectable, OnModuleInit } from '@nestjs/common';
import { AlertReceived } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { AnalysisService } from './analysis.service';

// ingestion's alerts, one verdict each. Registered per message for now; AnalysisService.analyse
// takes a batch, so moving to libs/messaging's batched mode changes only the registration.
@Injectable()
export class AlertsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly analysis: AnalysisService,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'analysis-alerts',
      event: AlertReceived,
      handle: async (e, { em }) => {
        await this.analysis.analyse(em, [e]);
      },
    });
  }
}
