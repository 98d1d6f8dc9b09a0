import { defineDomainErrors } from '@kanshi/errors';

export const IntakeError = defineDomainErrors('IntakeError', {
  // No LOW verdict with this id (or another tenant's).
  VERDICT_NOT_FOUND: 'NOT_FOUND',
  // The LOW verdict already has an incident.
  ALREADY_RAISED: 'CONFLICT',
});
