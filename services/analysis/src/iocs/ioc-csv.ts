// CSV IOC lists: a header row naming the columns (any order, case-insensitive), then one
// indicator a line. Columns: type (md5, sha1, sha256, ipv4, ipv6, domain, url; also ip and hash,
// told apart by the value), value, confidence (0-100, empty for the list's default), expires
// (ISO 8601 date or timestamp, empty for never), description. RFC 4180 quoting.
import { IocError } from './iocs.errors';
import { IOC_TYPES, IocType } from './ioc-kinds';
import { ImportSkip, MAX_INDICATORS_PER_IMPORT, ParsedImport, ParsedIndicator, timestampOf } from './ioc-import';
import { hashTypeOf, normalizeIndicator, parseIp } from './ioc-values';

export const CSV_COLUMNS = ['type', 'value', 'confidence', 'expires', 'description'] as const;

// Records with the line each starts on; quoted fields may hold commas, quotes ("") and newlines.
function records(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      out.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += c;
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    out.push({ line: start, fields });
  }
  return out.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

function typeOf(text: string, value: string): IocType | string {
  const t = text.trim().toUpperCase().replace(/-/g, '');
  if (t === 'HASH') return hashTypeOf(value) ?? 'a hash must have 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hex digits';
  if (t === 'IP') {
    const ip = parseIp(value.split('/')[0]);
    return ip ? (ip.family === 4 ? 'IPV4' : 'IPV6') : `${value.trim()} is not an IP address`;
  }
  if ((IOC_TYPES as readonly string[]).includes(t)) return t as IocType;
  return `unknown type ${JSON.stringify(text.trim())} (expected one of ${IOC_TYPES.map((x) => x.toLowerCase()).join(', ')}, ip, hash)`;
}

export function parseIocCsv(content: string): ParsedImport {
  const rows = records(content.replace(/^\uFEFF/, ''));
  if (!rows.length) throw new IocError('INVALID_CONTENT', 'content: the CSV list is empty (it needs a header row: type,value,confidence,expires,description)', 'content');
  const header = rows[0].fields.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length || !header.includes('type') || !header.includes('value'))
    throw new IocError(
      'INVALID_CONTENT',
      `content: the CSV header must name the columns type and value, and may name confidence, expires, description${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
      'content',
    );
  if (rows.length - 1 > MAX_INDICATORS_PER_IMPORT) throw new IocError('INVALID_CONTENT', `content: more than ${MAX_INDICATORS_PER_IMPORT} rows; split the list`, 'content');
  const col = (name: string) => header.indexOf(name);
  const indicators: ParsedIndicator[] = [];
  const skipped: ImportSkip[] = [];
  for (const { line, fields } of rows.slice(1)) {
    const get = (name: string) => (col(name) >= 0 ? (fields[col(name)] ?? '').trim() : '');
    const skip = (reason: string) => skipped.push({ row: line, objectId: null, reason });
    if (fields.length > header.length) {
      skip(`${fields.length} fields but the header names ${header.length}`);
      continue;
    }
    const value = get('value');
    if (!value) {
      skip('value is empty');
      continue;
    }
    const type = typeOf(get('type'), value);
    if (!(IOC_TYPES as readonly string[]).includes(type)) {
      skip(type);
      continue;
    }
    const n = normalizeIndicator(type as IocType, value);
    if (!n.ok) {
      skip(n.reason);
      continue;
    }
    const confText = get('confidence');
    const confidence = confText === '' ? null : /^\d{1,3}$/.test(confText) && Number(confText) <= 100 ? Number(confText) : undefined;
    if (confidence === undefined) {
      skip(`confidence must be an integer 0-100, not ${JSON.stringify(confText)}`);
      continue;
    }
    const expires = timestampOf(get('expires'));
    if (expires === undefined) {
      skip(`expires must be an ISO 8601 date or timestamp, not ${JSON.stringify(get('expires'))}`);
      continue;
    }
    indicators.push({ row: line, type: n.type, value: n.value, confidence, validFrom: null, validUntil: expires, stixId: null, description: get('description').slice(0, 2000), labels: [], tlp: null });
  }
  return { indicators, skipped };
}
