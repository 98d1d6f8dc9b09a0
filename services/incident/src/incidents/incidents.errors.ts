import { defineDomainErrors } from '@kanshi/errors';

// A missing customer is AccessError CUSTOMER_NOT_FOUND and a wrong role AccessError FORBIDDEN
// (libs/auth); these are the incident domain's own.
export const IncidentError = defineDomainErrors('IncidentError', {
  // Missing or another tenant's incident, for every mutation that acts on one.
  INCIDENT_NOT_FOUND: 'NOT_FOUND',
  // Someone else changed the incident since it was read (optimistic locking on `version`).
  VERSION_CONFLICT: 'CONFLICT',
  // A status change the workflow does not allow; the message names both statuses.
  BAD_TRANSITION: 'BAD_USER_INPUT',
  // Merging an incident into itself, into another customer's, or into a finished one.
  BAD_MERGE: 'BAD_USER_INPUT',
  // Pausing a paused incident's clocks, or resuming running ones.
  PAUSE_STATE: 'CONFLICT',
  // An action that needs an open incident (not RESOLVED or CLOSED).
  INCIDENT_FINISHED: 'CONFLICT',
  // A customer marking a comment INTERNAL (customers write only what the customer side reads).
  BAD_VISIBILITY: 'BAD_USER_INPUT',
  // writeFindings with no section given.
  NOTHING_TO_WRITE: 'BAD_USER_INPUT',
});
