import { defineDomainErrors } from '@kanshi/errors';

export const VerdictError = defineDomainErrors('VerdictError', {
  // No verdict with that id, or one of another tenant's.
  VERDICT_NOT_FOUND: 'NOT_FOUND',
  // Neither or both of verdictId and alertId were given.
  ONE_VERDICT_TARGET: 'BAD_USER_INPUT',
  // Only a verdict that went out can be overridden: a suppressed alert has none.
  VERDICT_SUPPRESSED: 'CONFLICT',
});
