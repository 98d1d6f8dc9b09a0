// How a body splits into records: the one place that decides, for every transport that
// receives bodies (an HTTPS request, split on a parse worker; the alert texts of a mail). Pure,
// so it runs on the parse workers. Syslog has no bodies: framing (syslog-framing.ts,
// syslog-datagrams.ts) makes its records out of a stream.
import { decodeDeviceText } from '../../parsers/charset';
import { splitHttpBody } from '../../parsers/body-splitter';
import { DOCUMENT_PRODUCTS } from '../../parsers/parse';
import type { SensorProduct } from '../../parsers/types';

// One record of a body, before it is given its arrival time.
export interface BodyRecord {
  text?: string;
  // the bytes as received, when the record is the whole body (kept in quarantine unchanged)
  bytes?: Uint8Array;
  // set when the record is refused before parsing (the body could not be split)
  rejectedReason?: string;
  // a mail's body beside alert attachments, which may be a person's covering note ("添付のアラートを
  // ご確認ください。"): quarantined when unreadable only if no record of the batch gave an alert
  note?: boolean;
}

// an HTTPS request body as received (decompressed)
export interface HttpBody {
  kind: 'http';
  bytes: Buffer;
  contentType?: string;
}

// one alert text of a mail (its body or an attachment), decoded
export interface MailText {
  kind: 'mail';
  text: string;
  product: SensorProduct;
}

// HTTPS: a JSON object, JSON array, NDJSON or syslog lines. When JSON splitting fails on a body
// whose every line looks like a JSON document (NDJSON with one broken line), the lines are taken
// one by one, so only the broken one is quarantined; any other unsplittable body is one rejected
// record with the reason.
// Mail: JSON products' texts are documents (a FireEye notification with a greeting around it is
// one record); line-based products' are lines.
export function splitBody(body: HttpBody): BodyRecord[] | { error: string };
export function splitBody(body: MailText): BodyRecord[];
export function splitBody(body: HttpBody | MailText): BodyRecord[] | { error: string } {
  return body.kind === 'http' ? splitHttp(body.bytes, body.contentType) : splitMailText(body.text, body.product);
}

function splitHttp(body: Buffer, contentType: string | undefined): BodyRecord[] | { error: string } {
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

function splitMailText(text: string, product: SensorProduct): BodyRecord[] {
  if (DOCUMENT_PRODUCTS.has(product)) {
    const trimmed = text.trimStart();
    const split = trimmed.startsWith('{') || trimmed.startsWith('[') ? splitHttpBody(Buffer.from(text)) : null;
    return split && 'records' in split ? split.records.map((t) => ({ text: t })) : [{ text }];
  }
  return text
    .split(/\r\n|\n|\r/)
    .filter((line) => line.trim() !== '')
    .map((line) => ({ text: line }));
}

function hasUtf16Bom(b: Buffer): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}
