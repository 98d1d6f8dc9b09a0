export { DomainError } from './domain-error';
export type { ErrorKind } from './domain-error';
