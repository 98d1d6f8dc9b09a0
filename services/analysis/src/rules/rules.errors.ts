import { defineDomainErrors } from '@kanshi/errors';

export const RuleError = defineDomainErrors('RuleError', {
  // The condition names no field or no operator analysis can evaluate.
  INVALID_CONDITION: 'BAD_USER_INPUT',
});
