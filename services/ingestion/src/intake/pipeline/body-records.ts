// Splitting an HTTPS intake body into records (pure; runs on the parse workers).
import { decodeDeviceText } from '../../parsers/charset';
import { splitHttpBody } from '../../parsers/body-splitter';

export interface SplitRecord {
  text?: string;
  // the bytes as received, when the record is the whole body (kept in quarantine unchanged)
  bytes?: Uint8Array;
  // set when the record is refused before parsing (the body could not be split)
  rejectedReason?: string;
}

// A JSON object, JSON array, NDJSON or syslog lines. When JSON splitting fails on a body whose
// every line looks like a JSON document (NDJSON with one broken line), the lines are taken one
// by one, so only the broken one is quarantined; any other unsplittable body is one rejected
// record with the reason.
export function splitBody(body: Buffer, contentType: string | undefined): SplitRecord[] | { error: string } {
  // Binary data split at its newline bytes would only make many meaningless records.
  const nul = body.indexOf(0);
  if (nul >= 0 && !hasUtf16Bom(body)) return [{ bytes: body, rejectedReason: `body contains binary data (NUL byte at position ${nul})` }];
  const split = splitHttpBody(body, contentType);
  if ('records' in split) return split.records.map((text) => ({ text }));
  if (split.error === 'empty body') return { error: 'empty body' };
  const text = decodeDeviceText(body, /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]);
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  if (lines.length > 1 && lines.every((l) => /^\s*[[{]/.test(l))) return lines.map((l) => ({ text: l }));
  return [{ bytes: body, rejectedReason: split.error }];
}

function hasUtf16Bom(b: Buffer): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}
