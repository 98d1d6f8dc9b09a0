import { Injectable, OnModuleInit } from '@nestjs/common';
import { AnalysisReportRequested } from '@kanshi/events';
import { ConsumerHost, PermanentEventError } from '@kanshi/messaging';
import { AnalysisReportsService } from './analysis-reports.service';

// incident.analysis-report.requested.v1: an analyst asked for an edition of an incident's report.
@Injectable()
export class AnalysisReportsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly service: AnalysisReportsService,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'reporting-analysis-report-requested',
      event: AnalysisReportRequested,
      handle: (e, { em }) => {
        if (!e.customerId) throw new PermanentEventError(`${e.subject} ${e.eventId} carries no customerId`);
        return this.service.requested(em, e.customerId, e.body, new Date(e.occurredAt));
      },
    });
  }
}
