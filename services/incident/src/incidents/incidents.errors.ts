import { defineDomainErrors } from '@kanshi/errors';

// A missing customer is AccessError CUSTOMER_NOT_FOUND and a wrong role AccessError FORBIDDEN
// (libs/auth); these are the incident domain's own.
export const IncidentError = defineDomainErrors('IncidentError', {
  // Missing or another tenant's incident, for the mutations that act on one (confirm, resolve).
  INCIDENT_NOT_FOUND: 'NOT_FOUND',
});
