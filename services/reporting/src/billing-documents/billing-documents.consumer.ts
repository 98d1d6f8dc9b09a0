import { Injectable, OnModuleInit } from '@nestjs/common';
import { InvoiceIssuedV2, QuoteIssuedV2 } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { BillingDocumentsService } from './billing-documents.service';

@Injectable()
export class BillingDocumentsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly service: BillingDocumentsService,
  ) {}

  onModuleInit(): void {
    this.host.register({ durable: 'reporting-quote-issued', event: QuoteIssuedV2, handle: (event, { em }) => this.service.quoteIssued(em, event) });
    this.host.register({ durable: 'reporting-invoice-issued', event: InvoiceIssuedV2, handle: (event, { em }) => this.service.invoiceIssued(em, event) });
  }
}
