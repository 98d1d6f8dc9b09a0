import { IngestionError } from './ingestion.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

// An ID argument that is not a UUID is the caller's mistake (BAD_USER_INPUT naming the argument),
// not a database error logged as internal.
export function assertUuid(value: string, field: string): void {
  if (!UUID.test(value)) throw new IngestionError('BAD_INPUT', `${field} "${value.slice(0, 60)}" is not an id (a UUID)`, field);
}
