import { defineDomainErrors } from '@kanshi/errors';

export const MonthlyReportError = defineDomainErrors('MonthlyReportError', {
  // The month has not begun yet.
  MONTH_IN_FUTURE: 'BAD_USER_INPUT',
  // The month ended before the customer's first contract started.
  MONTH_BEFORE_CONTRACT: 'BAD_USER_INPUT',
  // Monthly reports come with the monitoring, MDR and integrated management plans only.
  NOT_ON_A_MONTHLY_REPORT_PLAN: 'BAD_USER_INPUT',
  // The renderer failed: the report is retried in the background and appears in `reports` once made.
  RENDER_RETRYING: 'UNAVAILABLE',
  // The PDF store (S3) refused or did not answer: the report is retried in the background likewise.
  STORAGE_RETRYING: 'UNAVAILABLE',
});
