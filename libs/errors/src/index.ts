export { DomainError, defineDomainErrors, definedDomainErrors } from './domain-error';
export type { ErrorKind, DomainErrorClass, DomainErrorOf } from './domain-error';
