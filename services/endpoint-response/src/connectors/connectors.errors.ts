import { defineDomainErrors } from '@kanshi/errors';

// A missing customer is AccessError CUSTOMER_NOT_FOUND and a wrong role AccessError FORBIDDEN
// (libs/auth); these are the connector domain's own.
export const ConnectorError = defineDomainErrors('EdrConnectorError', {
  // No connector for that customer and product.
  CONNECTOR_NOT_FOUND: 'NOT_FOUND',
  // A new connector needs its secret (an update may leave it out to keep the stored one).
  SECRET_REQUIRED: 'BAD_USER_INPUT',
  // Carbon Black's API paths carry the org key.
  ORG_KEY_REQUIRED: 'BAD_USER_INPUT',
});
