import { defineDomainErrors } from '@kanshi/errors';

export const IsolationError = defineDomainErrors('IsolationError', {
  // Missing or another tenant's incident.
  INCIDENT_NOT_FOUND: 'NOT_FOUND',
  // Missing, retired, or not the incident's customer's endpoint.
  ENDPOINT_NOT_FOUND: 'NOT_FOUND',
  // Missing or another tenant's isolation.
  ISOLATION_NOT_FOUND: 'NOT_FOUND',
  // The incident is RESOLVED or CLOSED.
  INCIDENT_FINISHED: 'CONFLICT',
  // A release asked for or confirmed on an isolation that is not ISOLATED; the message names its status.
  NOT_ISOLATED: 'CONFLICT',
});
