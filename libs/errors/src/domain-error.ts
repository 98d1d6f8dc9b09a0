export type ErrorKind = 'NOT_FOUND' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'CONFLICT' | 'UNAVAILABLE';

// Base of every domain's errors: services throw these, never HTTP exceptions; each transport's
// edge maps `kind` to its own codes and shows `code` as the client-visible `reason`.
// Dependency-free, so pure domain code can throw it.
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

export type DomainErrorOf<C extends string> = DomainError & { readonly code: C };

export interface DomainErrorClass<C extends string> {
  new (code: C, message: string, field?: string): DomainErrorOf<C>;
  // The codes as a value, for comparisons and tests: `IncidentError.Code.INCIDENT_NOT_FOUND`.
  readonly Code: { readonly [K in C]: K };
  // Narrows an unknown error to this domain's, optionally to one code.
  is(err: unknown, code?: C): err is DomainErrorOf<C>;
}

// The one way a domain declares its errors: each code (the client's `reason`) with the kind the
// transports map. `const IncidentError = defineDomainErrors('IncidentError', { ... })`, then
// `throw new IncidentError('INCIDENT_NOT_FOUND', 'incident 42 not found', 'id')`.
export function defineDomainErrors<const K extends Record<string, ErrorKind>>(name: string, kinds: K): DomainErrorClass<Extract<keyof K, string>> {
  type C = Extract<keyof K, string>;
  const codes = Object.freeze(Object.fromEntries(Object.keys(kinds).map((k) => [k, k]))) as { readonly [P in C]: P };
  const cls = class extends DomainError {
    static readonly Code = codes;

    constructor(code: C, message: string, field?: string) {
      const kind = kinds[code];
      if (!kind) throw new TypeError(`${name}: unknown code ${String(code)}`);
      super(kind, message, field, code);
    }

    static is(err: unknown, code?: C): err is DomainErrorOf<C> {
      return err instanceof cls && (code === undefined || err.code === code);
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  REGISTRY.set(name, { ...kinds });
  return cls as unknown as DomainErrorClass<C>;
}

const REGISTRY = new Map<string, Readonly<Record<string, ErrorKind>>>();

// Every domain error class defined in this process, with its codes and their kinds: what the API
// reference lists as the `reason` values a client can see.
export function definedDomainErrors(): { name: string; codes: Readonly<Record<string, ErrorKind>> }[] {
  return [...REGISTRY].map(([name, codes]) => ({ name, codes }));
}
