import { defineDomainErrors } from '@kanshi/errors';

// The ingestion domain's errors; the code is the client-visible `reason`. A refused role
// (FORBIDDEN) and a missing or foreign customer (CUSTOMER_NOT_FOUND) are @kanshi/auth's AccessError.
export const IngestionError = defineDomainErrors('IngestionError', {
  SENSOR_NOT_FOUND: 'NOT_FOUND',
  NO_ACTIVE_CONTRACT: 'BAD_USER_INPUT',
  BAD_INPUT: 'BAD_USER_INPUT',
  SENSOR_REVOKED: 'CONFLICT',
  SOURCE_IP_TAKEN: 'CONFLICT',
  SENDER_TAKEN: 'CONFLICT',
  CERTIFICATE_TAKEN: 'CONFLICT',
  // binding an address is provider staff's decision: others request it (requestAddressBinding)
  BINDING_NEEDS_APPROVAL: 'FORBIDDEN',
  ADDRESS_RESERVED: 'BAD_USER_INPUT',
  BINDING_REQUEST_NOT_FOUND: 'NOT_FOUND',
  BINDING_REQUEST_DECIDED: 'CONFLICT',
  QUARANTINE_NOT_FOUND: 'NOT_FOUND',
  NOT_REPLAYABLE: 'CONFLICT',
  SEARCH_TOO_BROAD: 'BAD_USER_INPUT',
});
export type IngestionError = InstanceType<typeof IngestionError>;
