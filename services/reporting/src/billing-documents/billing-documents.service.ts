import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, InvoiceIssuedV2Body, QuoteIssuedV2Body } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { createLogger } from '@kanshi/observability';
import { PdfRenderer } from '../rendering/pdf-renderer';
import { RenderFailures } from '../render-failures/render-failures.service';
import { ReportEntity } from '../reports/report.entity';
import { ReportStore } from '../reports/report-store';
import { BillingDocumentsRepository } from './billing-documents.repository';
import { invoiceDocument } from './invoice.template';
import { quoteDocument } from './quote.template';

// One quote or invoice PDF per v2 event. A failed or timed-out render is retried with back-off
// (about 30 s, 1, 2, 4, 8 min), then listed in failedReportRenders.
export const BillingDocumentJob = defineJob<{ eventId: string; kind: 'QUOTE' | 'INVOICE' }>('billing-document-pdf', {
  retryLimit: 5,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 600,
});

// Quote and invoice PDFs from contracts' v2 events (reporting never reads contracts' schema).
// The consumer keeps the event's document in the handler's transaction; a job renders it,
// stores it as a QUOTE or INVOICE report (subjectId: the quote or invoice id) and publishes
// report.ready, on which contracts links Quote.pdf / Invoice.pdf.
@Injectable()
export class BillingDocumentsService implements OnModuleInit {
  private readonly log = createLogger('BillingDocuments');

  constructor(
    private readonly repo: BillingDocumentsRepository,
    private readonly renderer: PdfRenderer,
    private readonly store: ReportStore,
    private readonly failures: RenderFailures,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.work(BillingDocumentJob, ({ eventId, kind }, job) =>
      this.failures.track(job, { jobKey: `billing-document:${eventId}`, kind, customerId: null, request: { eventId, kind } }, () => this.make(eventId)),
    );
  }

  async quoteIssued(em: EntityManager, event: EventEnvelope<QuoteIssuedV2Body>): Promise<void> {
    const b = event.body;
    await this.repo.add(em, { eventId: event.eventId, kind: 'QUOTE', subjectId: b.quoteId, customerId: b.customerId, partnerId: null, body: b });
    await this.queue(event.eventId, 'QUOTE');
  }

  async invoiceIssued(em: EntityManager, event: EventEnvelope<InvoiceIssuedV2Body>): Promise<void> {
    const b = event.body;
    // A partner's invoice belongs to the partner; a direct customer's to the customer.
    const partnerOwned = b.recipient.kind === 'partner';
    await this.repo.add(em, {
      eventId: event.eventId,
      kind: 'INVOICE',
      subjectId: b.invoiceId,
      customerId: partnerOwned ? null : b.customerId,
      partnerId: partnerOwned ? (b.partnerId ?? b.recipient.id) : null,
      body: b,
    });
    await this.queue(event.eventId, 'INVOICE');
  }

  // Renders and stores one document; a second run of a done job does nothing.
  async make(eventId: string): Promise<ReportEntity | null> {
    return this.repo.transaction(async (em) => {
      const doc = await this.repo.lockedById(em, eventId);
      // Queued by a handler whose transaction has not committed (or rolled back): try later.
      if (!doc) throw new Error(`billing document ${eventId} is not stored (yet)`);
      if (doc.reportId) return null;
      let saved: ReportEntity;
      if (doc.kind === 'QUOTE') {
        const d = quoteDocument(doc.body);
        const pdf = await this.renderer.render(d.html, { footerText: `${doc.body.issuer.name} ${doc.body.number}` });
        saved = await this.store.saveVersion(em, {
          customerId: doc.body.customerId,
          kind: 'QUOTE',
          subjectId: doc.subjectId,
          title: d.title,
          language: doc.body.language,
          provisional: false,
          pdf,
          metadata: { sourceEventId: eventId, number: doc.body.number, total: doc.body.total },
        });
      } else {
        const b = doc.body;
        const d = invoiceDocument(b);
        const pdf = await this.renderer.render(d.html, { footerText: `${b.issuer.name} ${b.number}` });
        const partnerOwned = b.recipient.kind === 'partner';
        saved = await this.store.saveVersion(em, {
          customerId: partnerOwned ? null : b.customerId,
          partnerId: partnerOwned ? (b.partnerId ?? b.recipient.id) : null,
          kind: 'INVOICE',
          subjectId: doc.subjectId,
          title: d.title,
          language: b.language,
          period: /^\d{4}-\d{2}$/.test(b.period) ? b.period : null,
          provisional: false,
          pdf,
          metadata: { sourceEventId: eventId, number: b.number, total: b.total },
        });
      }
      await this.repo.markRendered(em, eventId, saved.id);
      this.log.info({ eventId, kind: doc.kind, reportId: saved.id }, 'billing document rendered');
      return saved;
    });
  }

  private async queue(eventId: string, kind: 'QUOTE' | 'INVOICE'): Promise<void> {
    // Started a little later, so the handler's transaction has committed when the job looks.
    await this.jobs.send(BillingDocumentJob, { eventId, kind }, { startAfter: 1, singletonKey: eventId });
  }
}
