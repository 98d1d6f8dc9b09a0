import { defineDomainErrors } from '@kanshi/errors';

// A missing customer is AccessError CUSTOMER_NOT_FOUND and a wrong role AccessError FORBIDDEN
// (libs/auth); these are the FireEye appliances' own.
export const FireEyeApplianceError = defineDomainErrors('FireEyeApplianceError', {
  // No appliance with that id (or another tenant's).
  APPLIANCE_NOT_FOUND: 'NOT_FOUND',
  // A new appliance (or a new address) needs its password; an update may leave it out.
  PASSWORD_REQUIRED: 'BAD_USER_INPUT',
});
