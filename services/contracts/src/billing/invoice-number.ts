// Invoice numbers: `<PREFIX>-<YYYY>-<sequence>`, e.g. INV-2026-000123. The sequence is gap-free
// per issuer (prefix) per year and starts at 1 each year; the database hands out the next value
// in the same transaction that stores the invoice. Sequences are zero-padded to 6 digits and
// simply grow to 7+ digits past 999999, so every number has exactly one written form.
import { ContractsError } from '../contracts.errors';

export const DEFAULT_INVOICE_PREFIX = 'INV';
export const INVOICE_SEQUENCE_DIGITS = 6;

export interface InvoiceNumberParts {
  prefix: string;
  year: number;
  sequence: number;
}

const PREFIX = /^[A-Z][A-Z0-9]{0,9}$/;
const INVOICE_NUMBER = /^([A-Z][A-Z0-9]{0,9})-(\d{4})-(\d{6,})$/;

export function formatInvoiceNumber(year: number, sequence: number, prefix: string = DEFAULT_INVOICE_PREFIX): string {
  if (!PREFIX.test(prefix)) {
    throw new ContractsError('BAD_INPUT', 'an invoice prefix is 1-10 upper-case letters or digits, starting with a letter', 'prefix');
  }
  if (!Number.isSafeInteger(year) || year < 1900 || year > 9999) {
    throw new ContractsError('BAD_INPUT', 'the invoice year must be a four-digit year', 'year');
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new ContractsError('BAD_INPUT', 'the invoice sequence starts at 1', 'sequence');
  }
  return `${prefix}-${year}-${String(sequence).padStart(INVOICE_SEQUENCE_DIGITS, '0')}`;
}

export function parseInvoiceNumber(value: string): InvoiceNumberParts {
  const m = typeof value === 'string' ? INVOICE_NUMBER.exec(value) : null;
  const parts = m ? { prefix: m[1], year: Number(m[2]), sequence: Number(m[3]) } : null;
  // Reject non-canonical forms (INV-2026-0000123) so one invoice has one number.
  if (!parts || !Number.isSafeInteger(parts.sequence) || parts.sequence < 1 || parts.year < 1900 || formatInvoiceNumber(parts.year, parts.sequence, parts.prefix) !== value) {
    throw new ContractsError('BAD_INPUT', `not an invoice number (expected e.g. INV-2026-000123): ${JSON.stringify(value)}`, 'invoiceNumber');
  }
  return parts;
}

// Audit helper: which sequence values are missing (1..max) or used twice.
export function auditSequence(sequences: readonly number[]): { missing: number[]; duplicates: number[] } {
  const seen = new Set<number>();
  const duplicates = new Set<number>();
  for (const s of sequences) {
    if (!Number.isSafeInteger(s) || s < 1) throw new ContractsError('BAD_INPUT', `not an invoice sequence: ${s}`, 'sequence');
    if (seen.has(s)) duplicates.add(s);
    seen.add(s);
  }
  const max = sequences.reduce((m, s) => Math.max(m, s), 0);
  const missing: number[] = [];
  for (let s = 1; s <= max; s++) if (!seen.has(s)) missing.push(s);
  return { missing, duplicates: [...duplicates].sort((a, b) => a - b) };
}
