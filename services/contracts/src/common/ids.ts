import { ContractsError } from '../contracts.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

// Ids arrive as GraphQL `ID`s (any string); a malformed one names nothing, like a missing one.
export function assertUuid(value: string, field: string, what = 'object'): void {
  if (!isUuid(value)) throw new ContractsError('BAD_INPUT', `${what} ${JSON.stringify(value)} not found`, field);
}
