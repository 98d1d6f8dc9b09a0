// Splits an HTTPS intake body into records: a JSON object, a JSON array (one record per element),
// NDJSON or concatenated JSON documents, or text lines (syslog-over-HTTP, one record per non-empty
// line). JSON records keep their exact text; a JSON string element becomes its string value (a
// vendor posting an array of syslog lines).
import { decodeDeviceText } from './charset';
import { skipWhitespace, splitJsonArray, splitJsonValues, type JsonSyntaxError } from './json-text';

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export type SplitResult = { records: string[] } | { error: string };

function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return m ? m[2] : undefined;
}

function where(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  if (line === 1) return `at position ${position}`;
  const column = position - before.lastIndexOf('\n');
  return `at position ${position} (line ${line}, column ${column})`;
}

function jsonError(kind: string, text: string, error: JsonSyntaxError): { error: string } {
  return { error: `${kind}: ${error.message} ${where(text, error.position)}` };
}

export function splitHttpBody(buf: Buffer, contentType?: string): SplitResult {
  if (!Buffer.isBuffer(buf)) return { error: 'body is not a byte buffer' };
  if (buf.length > MAX_BODY_BYTES) return { error: `body exceeds ${MAX_BODY_BYTES} bytes` };
  const text = decodeDeviceText(buf, charsetOf(contentType));
  if (text.trim() === '') return { error: 'empty body' };
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const start = skipWhitespace(text, 0);
  const first = text[start];

  if (first === '[') {
    const arr = splitJsonArray(text);
    if (!arr.ok) return jsonError('JSON', text, arr.error);
    const records: string[] = [];
    for (const span of arr.spans) {
      const element = text.slice(span.start, span.end);
      if (element[0] === '"') {
        const value = JSON.parse(element) as string;
        if (value.trim() !== '') records.push(value);
      } else {
        records.push(element);
      }
    }
    return { records };
  }
  if (first === '{') {
    const values = splitJsonValues(text);
    if (!values.ok) return jsonError(/ndjson|json-seq|jsonl/.test(mediaType) ? 'NDJSON' : 'JSON', text, values.error);
    return { records: values.spans.map((s) => text.slice(s.start, s.end)) };
  }
  if (/json/.test(mediaType) && !/ndjson|jsonl/.test(mediaType)) {
    // Declared JSON that is not: say so rather than guessing lines.
    return { error: `JSON: Unexpected token '${first}' at position ${start}` };
  }
  const records = text.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
  return { records };
}
