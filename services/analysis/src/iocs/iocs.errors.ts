import { defineDomainErrors } from '@kanshi/errors';

// FORBIDDEN and CUSTOMER_NOT_FOUND come from @kanshi/auth's AccessError.
export const IocError = defineDomainErrors('IocError', {
  // The content is not a STIX 2.1 bundle or a CSV list with a header row at all.
  INVALID_CONTENT: 'BAD_USER_INPUT',
  // listId names no list the caller may see (another tenant's list reads the same).
  IOC_LIST_NOT_FOUND: 'NOT_FOUND',
  // Neither listId nor name, or both: which list to import into is unclear.
  LIST_TARGET_UNCLEAR: 'BAD_USER_INPUT',
});
