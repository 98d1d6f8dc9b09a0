import { DomainError, ErrorKind } from '@kanshi/platform';

export enum IngestionErrorCode {
  SENSOR_NOT_FOUND = 'SENSOR_NOT_FOUND',
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  NO_ACTIVE_CONTRACT = 'NO_ACTIVE_CONTRACT',
  FORBIDDEN = 'FORBIDDEN',
  BAD_INPUT = 'BAD_INPUT',
  SENSOR_REVOKED = 'SENSOR_REVOKED',
  SOURCE_IP_TAKEN = 'SOURCE_IP_TAKEN',
  SENDER_TAKEN = 'SENDER_TAKEN',
  QUARANTINE_NOT_FOUND = 'QUARANTINE_NOT_FOUND',
  NOT_REPLAYABLE = 'NOT_REPLAYABLE',
}

const KIND: Record<IngestionErrorCode, ErrorKind> = {
  SENSOR_NOT_FOUND: 'NOT_FOUND',
  CUSTOMER_NOT_FOUND: 'NOT_FOUND',
  NO_ACTIVE_CONTRACT: 'BAD_USER_INPUT',
  FORBIDDEN: 'FORBIDDEN',
  BAD_INPUT: 'BAD_USER_INPUT',
  SENSOR_REVOKED: 'CONFLICT',
  SOURCE_IP_TAKEN: 'CONFLICT',
  SENDER_TAKEN: 'CONFLICT',
  QUARANTINE_NOT_FOUND: 'NOT_FOUND',
  NOT_REPLAYABLE: 'CONFLICT',
};

export class IngestionError extends DomainError {
  constructor(code: IngestionErrorCode, message: string, field?: string) {
    super(KIND[code], message, field, code);
  }
}
