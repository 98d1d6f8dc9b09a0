import { defineDomainErrors } from '@kanshi/errors';

export const ReportError = defineDomainErrors('ReportError', {
  // A list would exceed what one answer carries; the caller narrows it instead of getting a cut list.
  TOO_MANY_REPORTS: 'BAD_USER_INPUT',
});
