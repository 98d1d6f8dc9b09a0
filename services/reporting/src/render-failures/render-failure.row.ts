import { ReportKindValue } from '@kanshi/events';

// One document that could not be rendered after every retry (reporting.render_failure).
export interface RenderFailureRow {
  id: string;
  jobKey: string;
  kind: ReportKindValue;
  customerId: string | null;
  ownerPartnerId: string | null;
  subjectId: string | null;
  request: Record<string, unknown>;
  error: string;
  attempts: number;
  failedAt: Date;
}
