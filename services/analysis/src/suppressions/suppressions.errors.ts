import { defineDomainErrors } from '@kanshi/errors';

// FORBIDDEN and CUSTOMER_NOT_FOUND come from @kanshi/auth's AccessError.
export const SuppressionError = defineDomainErrors('SuppressionError', {
  // A condition names no field, not exactly one operator, or a bad CIDR network.
  INVALID_CONDITION: 'BAD_USER_INPUT',
  // The window ends before it starts, in the past, or more than 90 days ahead.
  INVALID_WINDOW: 'BAD_USER_INPUT',
  // Neither customerId nor global: true, or both.
  TARGET_UNCLEAR: 'BAD_USER_INPUT',
  // The id names no suppression the caller may see (another tenant's reads the same).
  SUPPRESSION_NOT_FOUND: 'NOT_FOUND',
  // More suppressions than one answer lists: narrow by customer or active.
  TOO_MANY_SUPPRESSIONS: 'BAD_USER_INPUT',
});
