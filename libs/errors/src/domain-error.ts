export type ErrorKind = 'NOT_FOUND' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'CONFLICT' | 'UNAVAILABLE';

// Base of every domain's error class (IncidentError, ContractsError, ...): services throw these,
// never HTTP exceptions; each transport's edge maps `kind` to its own codes. Dependency-free, so
// pure domain code can throw it.
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly field?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
