import { DomainError, ErrorKind } from '@kanshi/errors';

export enum IncidentErrorCode {
  INCIDENT_NOT_FOUND = 'INCIDENT_NOT_FOUND',
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
}

const KIND: Record<IncidentErrorCode, ErrorKind> = {
  INCIDENT_NOT_FOUND: 'NOT_FOUND',
  CUSTOMER_NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
};

export class IncidentError extends DomainError {
  constructor(code: IncidentErrorCode, message: string, field?: string) {
    super(KIND[code], message, field, code);
  }
}
