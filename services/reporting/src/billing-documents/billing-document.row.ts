import { InvoiceIssuedV2Body, QuoteIssuedV2Body } from '@kanshi/events';

// A quote or invoice to render, as its v2 event carried it (reporting.billing_document).
export type BillingDocumentRow =
  | { eventId: string; kind: 'QUOTE'; subjectId: string; body: QuoteIssuedV2Body; reportId: string | null }
  | { eventId: string; kind: 'INVOICE'; subjectId: string; body: InvoiceIssuedV2Body; reportId: string | null };
