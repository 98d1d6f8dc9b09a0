import { defineDomainErrors } from '@kanshi/errors';

// A missing customer is AccessError CUSTOMER_NOT_FOUND and a wrong role AccessError FORBIDDEN
// (libs/auth); these are the endpoint domain's own.
export const EndpointError = defineDomainErrors('EndpointError', {
  // The EDR agent id is already registered for that product (to this or another customer).
  DUPLICATE_AGENT: 'CONFLICT',
});
