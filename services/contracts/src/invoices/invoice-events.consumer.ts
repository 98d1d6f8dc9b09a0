import { Injectable, OnModuleInit } from '@nestjs/common';
import { EndpointsCounted, ReportReady } from '@kanshi/events';
import { ConsumerHost, PermanentEventError } from '@kanshi/messaging';
import { isCalendarDate, toTokyoDate } from '@kanshi/calendar';
import { isUuid } from '../common/ids';
import { QuotesService } from '../quotes/quotes.service';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';

// What billing learns from other services: the daily endpoint counts MDR is billed on, and the
// PDFs reporting renders for quotes and invoices.
@Injectable()
export class InvoiceEventsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: InvoicesRepository,
    private readonly invoices: InvoicesService,
    private readonly quotes: QuotesService,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'contracts-endpoints-counted',
      event: EndpointsCounted,
      handle: async (event, { em }) => {
        if (!event.customerId) throw new PermanentEventError('endpoints.counted without a customer');
        // A bare date is a JST day already; an instant is placed on its JST day.
        const day = isCalendarDate(event.body.date) ? event.body.date : toTokyoDate(new Date(event.body.date), 'date');
        await this.repo.recordEndpointCount(em, event.customerId, day, event.body.count);
      },
    });
    this.host.register({
      durable: 'contracts-report-ready',
      event: ReportReady,
      handle: async (event, { em }) => {
        const subjectId = event.body.subjectId;
        if (!subjectId || !isUuid(subjectId)) return;
        if (event.body.kind === 'QUOTE') await this.quotes.setPdf(em, subjectId, event.body.reportId);
        if (event.body.kind === 'INVOICE') await this.invoices.setPdf(em, subjectId, event.body.reportId);
      },
    });
  }
}
