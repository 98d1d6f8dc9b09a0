import { defineDomainErrors } from '@kanshi/errors';

// The contracts domain's errors, thrown by its pure logic (pricing, billing) and its services.
// `field`: the offending input field (a dotted path for nested input). A refused role is
// @kanshi/auth's AccessError (reason FORBIDDEN, as before), thrown by `authorize`.
export const ContractsError = defineDomainErrors('ContractsError', {
  BAD_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  // Query.invoices answers at most 500; invoicePage has no limit
  TOO_MANY_INVOICES: 'BAD_USER_INPUT',
});
export type ContractsError = InstanceType<typeof ContractsError>;
