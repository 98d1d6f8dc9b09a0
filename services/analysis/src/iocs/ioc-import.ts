// What an import file yields before it is stored: indicators with normalized values, and the rows
// or objects that were left out with the reason. A file that is not a STIX bundle or a CSV list at
// all is refused whole (IocError INVALID_CONTENT on `content`).
import { IocFormat, IocType, Tlp } from './ioc-kinds';
import { parseIocCsv } from './ioc-csv';
import { parseStixBundle } from './stix-bundle';

export interface ParsedIndicator {
  row: number; // CSV line or 1-based position in the bundle's objects
  type: IocType;
  value: string;
  confidence: number | null; // null: the list's default
  validFrom: Date | null;
  validUntil: Date | null;
  stixId: string | null;
  description: string;
  labels: string[];
  tlp: Tlp | null; // the indicator's own marking, when it has one
}

export interface ImportSkip {
  row: number;
  objectId: string | null; // the STIX object's id, when there is one
  reason: string;
}

export interface ParsedImport {
  indicators: ParsedIndicator[];
  skipped: ImportSkip[];
}

export const MAX_INDICATORS_PER_IMPORT = 100_000;

export function parseIocContent(format: IocFormat, content: string, now: Date): ParsedImport {
  return format === 'STIX' ? parseStixBundle(content, now) : parseIocCsv(content);
}

// An RFC 3339 / ISO 8601 timestamp or date; null when absent, undefined when it is not one.
export function timestampOf(value: unknown): Date | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value.trim())) return undefined;
  const d = new Date(value.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}
