import { ReportKindValue } from '@kanshi/events';

// What a render job makes, for the failed-render list: one per job key (the same document's
// retries and re-requests share it).
export interface RenderFailureRef {
  jobKey: string;
  kind: ReportKindValue;
  customerId: string | null;
  partnerId?: string | null;
  subjectId?: string | null;
  // The job's data, so staff (or a retry) can make it again.
  request: object;
}
