import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReportReady, ReportSent } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { ReportsService } from './reports.service';

@Injectable()
export class ReportsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly reports: ReportsService,
  ) {}

  onModuleInit(): void {
    this.host.register({ durable: 'incident-report-ready', event: ReportReady, handle: (e, { em }) => this.reports.ready(em, e) });
    this.host.register({ durable: 'incident-report-sent', event: ReportSent, handle: (e, { em }) => this.reports.sent(em, e) });
  }
}
