import { DomainError, ErrorKind } from '@kanshi/platform';

export enum IngestionErrorCode {
  SENSOR_NOT_FOUND = 'SENSOR_NOT_FOUND',
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  NO_ACTIVE_CONTRACT = 'NO_ACTIVE_CONTRACT',
  FORBIDDEN = 'FORBIDDEN',
  BAD_INPUT = 'BAD_INPUT',
}

const KIND: Record<IngestionErrorCode, ErrorKind> = {
  SENSOR_NOT_FOUND: 'NOT_FOUND',
  CUSTOMER_NOT_FOUND: 'NOT_FOUND',
  NO_ACTIVE_CONTRACT: 'BAD_USER_INPUT',
  FORBIDDEN: 'FORBIDDEN',
  BAD_INPUT: 'BAD_USER_INPUT',
};

export class IngestionError extends DomainError {
  constructor(code: IngestionErrorCode, message: string, field?: string) {
    super(KIND[code], message, field, code);
  }
}
