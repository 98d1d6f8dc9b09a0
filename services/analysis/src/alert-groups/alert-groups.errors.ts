import { defineDomainErrors } from '@kanshi/errors';

// FORBIDDEN comes from @kanshi/auth's AccessError.
export const AlertGroupError = defineDomainErrors('AlertGroupError', {
  // The id names no group the caller may see (another tenant's group reads the same).
  ALERT_GROUP_NOT_FOUND: 'NOT_FOUND',
});
