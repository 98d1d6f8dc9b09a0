import { defineDomainErrors } from '@kanshi/errors';

export const AssetError = defineDomainErrors('AssetError', {
  // Neither a host name nor an IP address names the asset.
  ASSET_UNNAMED: 'BAD_USER_INPUT',
  // The same host name and IP are already marked critical for the customer.
  ALREADY_CRITICAL: 'CONFLICT',
  // More than 1000 critical assets match: narrow by customerId.
  TOO_MANY_CRITICAL_ASSETS: 'BAD_USER_INPUT',
});
