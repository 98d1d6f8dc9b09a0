import { DomainError } from '@kanshi/errors';

// The one exception class of the contracts domain, thrown by its pure logic (pricing, billing)
// and its services; the GraphQL edge maps `kind` to `extensions.code`.
export enum ContractsErrorCode {
  BAD_INPUT = 'BAD_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  CONFLICT = 'CONFLICT',
}

export type ContractsErrorKind = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT';

const KIND: Readonly<Record<ContractsErrorCode, ContractsErrorKind>> = {
  [ContractsErrorCode.BAD_INPUT]: 'BAD_USER_INPUT',
  [ContractsErrorCode.NOT_FOUND]: 'NOT_FOUND',
  [ContractsErrorCode.FORBIDDEN]: 'FORBIDDEN',
  [ContractsErrorCode.CONFLICT]: 'CONFLICT',
};

export class ContractsError extends DomainError {
  declare readonly kind: ContractsErrorKind;
  declare readonly code: ContractsErrorCode;

  // `field`: the offending input field (a dotted path for nested input), for BAD_INPUT.
  constructor(code: ContractsErrorCode, message: string, field?: string) {
    super(KIND[code], message, field, code);
  }

  static badInput(field: string, message: string): ContractsError {
    return new ContractsError(ContractsErrorCode.BAD_INPUT, message, field);
  }

  static notFound(message: string): ContractsError {
    return new ContractsError(ContractsErrorCode.NOT_FOUND, message);
  }

  static forbidden(message: string): ContractsError {
    return new ContractsError(ContractsErrorCode.FORBIDDEN, message);
  }

  static conflict(message: string, field?: string): ContractsError {
    return new ContractsError(ContractsErrorCode.CONFLICT, message, field);
  }
}
