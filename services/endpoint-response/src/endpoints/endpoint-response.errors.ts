import { DomainError, ErrorKind } from '@kanshi/errors';

export enum EndpointResponseErrorCode {
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  DUPLICATE_AGENT = 'DUPLICATE_AGENT',
  FORBIDDEN = 'FORBIDDEN',
}

const KIND: Record<EndpointResponseErrorCode, ErrorKind> = {
  CUSTOMER_NOT_FOUND: 'NOT_FOUND',
  DUPLICATE_AGENT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
};

export class EndpointResponseError extends DomainError {
  constructor(code: EndpointResponseErrorCode, message: string, field?: string) {
    super(KIND[code], message, field, code);
  }
}
