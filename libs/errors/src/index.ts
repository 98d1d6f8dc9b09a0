export { DomainError, defineDomainErrors } from './domain-error';
export type { ErrorKind, DomainErrorClass, DomainErrorOf } from './domain-error';
