import { ReportKindValue } from '@kanshi/events';
import { ReportEdition, ReportLanguage } from './report.entity';

// What ReportStore.saveVersion keeps: one rendered PDF and what it is. Internal (not GraphQL).
export interface SaveReportInput {
  // The customer it is for; null only for a partner's own invoice (then partnerId is required).
  customerId: string | null;
  // Set for a document that belongs to a partner (its invoice): only that partner and provider
  // staff may list or fetch it. Leave unset for customers' documents.
  partnerId?: string | null;
  kind: ReportKindValue;
  // The incident, quote or invoice it is about; omit for a monthly report.
  subjectId?: string | null;
  title: string;
  language: ReportLanguage;
  // "YYYY-MM": the month of a monthly report (part of its version key) or an invoice's period.
  period?: string | null;
  // An analysis report's edition (part of its version key).
  edition?: ReportEdition | null;
  provisional: boolean;
  pdf: Buffer;
  // Anything worth keeping about how it was made (source event ids, counts, template version).
  metadata?: Record<string, unknown>;
  // The incident.analysis-report.requested.v1 request it answers; carried on report.ready.
  requestId?: string;
}
