// Reading and validating Stripe request parameters, list paging, ids and timestamps.
import { randomBytes } from 'node:crypto';
import { FormObject } from './stripe-form';
import { FakeStripeAddress, FakeStripeList, StripeMetadata } from './stripe-objects';
import { invalidRequest, missingParam } from './stripe-errors';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function randomId(prefix: string, length = 14): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE62[b % 62];
  return `${prefix}_${out}`;
}

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function rejectUnknown(params: FormObject, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      const param = prefix ? `${prefix}[${key}]` : key;
      throw invalidRequest(`Received unknown parameter: ${param}`, { param, code: 'parameter_unknown' });
    }
  }
}

export function readString(params: FormObject, name: string, required = false): string | undefined {
  const value = params[name];
  if (value === undefined) {
    if (required) throw missingParam(name);
    return undefined;
  }
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${JSON.stringify(value)}`, { param: name });
  if (required && value === '') throw invalidRequest(`You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset.`, { param: name, code: 'parameter_invalid_empty' });
  return value;
}

// Stripe amounts are integers in the currency's smallest unit; for JPY (zero-decimal) that is
// whole yen, so `1000.5` is rejected rather than rounded.
export function readInteger(params: FormObject, name: string, required = false): number | undefined {
  const raw = readString(params, name, required);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw invalidRequest(`Invalid integer: ${raw}`, { param: name, code: 'parameter_invalid_integer' });
  }
  return Number(raw);
}

export function readBoolean(params: FormObject, name: string): boolean | undefined {
  const raw = readString(params, name);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalidRequest(`Invalid boolean: ${raw}`, { param: name });
  return raw === 'true';
}

export function readEnum<T extends string>(params: FormObject, name: string, values: readonly T[]): T | undefined {
  const raw = readString(params, name);
  if (raw === undefined) return undefined;
  if (!values.includes(raw as T)) {
    throw invalidRequest(`Invalid ${name}: must be one of ${values.join(', ')}`, { param: name });
  }
  return raw as T;
}

export function readCurrency(params: FormObject, name = 'currency'): string | undefined {
  const raw = readString(params, name);
  if (raw === undefined) return undefined;
  const currency = raw.toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidRequest(`Invalid currency: ${raw}.`, { param: name });
  return currency;
}

// Returns `null` for `metadata=` (unset all), the pairs otherwise; an empty value unsets a key.
export function readMetadata(params: FormObject): Record<string, string> | null | undefined {
  const raw = params.metadata;
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  if (typeof raw === 'string' || Array.isArray(raw)) throw invalidRequest('Invalid hash', { param: 'metadata' });
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw invalidRequest('Invalid string for metadata value', { param: `metadata[${key}]` });
    if (key.length > 40) throw invalidRequest('Metadata keys can be at most 40 characters long.', { param: `metadata[${key}]` });
    if (value.length > 500) throw invalidRequest('Metadata values can be at most 500 characters long.', { param: `metadata[${key}]` });
    out[key] = value;
  }
  return out;
}

export function applyMetadata(current: StripeMetadata, update: Record<string, string> | null | undefined): StripeMetadata {
  if (update === undefined) return current;
  if (update === null) return {};
  const next = { ...current };
  for (const [k, v] of Object.entries(update)) {
    if (v === '') delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > 50) throw invalidRequest('You can have at most 50 metadata keys.', { param: 'metadata' });
  return next;
}

const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'state', 'postal_code', 'country'] as const;

export function readAddress(params: FormObject, current: FakeStripeAddress | null): FakeStripeAddress | null | undefined {
  const raw = params.address;
  if (raw === undefined) return undefined;
  if (raw === '') return null;
  if (typeof raw === 'string' || Array.isArray(raw)) throw invalidRequest('Invalid hash', { param: 'address' });
  rejectUnknown(raw, ADDRESS_FIELDS, 'address');
  const next: FakeStripeAddress = current ? { ...current } : { line1: null, line2: null, city: null, state: null, postal_code: null, country: null };
  for (const field of ADDRESS_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidRequest('Invalid string', { param: `address[${field}]` });
    next[field] = value === '' ? null : value;
  }
  return next;
}

export function readListParams(query: FormObject, extra: readonly string[]): { limit: number; startingAfter?: string; endingBefore?: string } {
  rejectUnknown(query, ['limit', 'starting_after', 'ending_before', 'expand', ...extra]);
  const limit = readInteger(query, 'limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('This value must be between 1 and 100.', { param: 'limit' });
  return { limit, startingAfter: readString(query, 'starting_after'), endingBefore: readString(query, 'ending_before') };
}

// Stripe lists newest first; `starting_after`/`ending_before` are object ids (cursor paging).
export function paginate<T extends { id: string }>(newestFirst: T[], url: string, page: { limit: number; startingAfter?: string; endingBefore?: string }): FakeStripeList<T> {
  let start = 0;
  let end = newestFirst.length;
  if (page.startingAfter) {
    const i = newestFirst.findIndex((o) => o.id === page.startingAfter);
    if (i === -1) throw invalidRequest(`No such object: '${page.startingAfter}'`, { param: 'starting_after', code: 'resource_missing' });
    start = i + 1;
  }
  if (page.endingBefore) {
    const i = newestFirst.findIndex((o) => o.id === page.endingBefore);
    if (i === -1) throw invalidRequest(`No such object: '${page.endingBefore}'`, { param: 'ending_before', code: 'resource_missing' });
    end = i;
    start = Math.max(start, end - page.limit);
  }
  const data = newestFirst.slice(start, Math.min(end, start + page.limit));
  return { object: 'list', data, has_more: start + data.length < end, url };
}

export function readLocales(body: FormObject): string[] {
  const raw = body.preferred_locales;
  if (raw === undefined || raw === '') return [];
  if (!Array.isArray(raw) || raw.some((l) => typeof l !== 'string')) throw invalidRequest('Invalid array', { param: 'preferred_locales' });
  return raw as string[];
}
