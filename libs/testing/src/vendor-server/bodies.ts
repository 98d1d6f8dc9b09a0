// Reading and parsing request bodies and query strings for the vendor-server kit.
import { IncomingMessage } from 'node:http';

/** A query string or form body with repeated keys kept (`ids=a&ids=b` -> `{ ids: ['a', 'b'] }`). */
export type FlatParams = Record<string, string | string[]>;

export class BodyTooLargeError extends Error {}

export function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new BodyTooLargeError(`request body over ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function parseFlatParams(raw: string): FlatParams {
  const out: FlatParams = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const seen = out[key];
    if (seen === undefined) out[key] = value;
    else out[key] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

/**
 * The default body parser: JSON for `application/json` (and `+json`), flat params for
 * `application/x-www-form-urlencoded`, undefined for an empty body, the text otherwise.
 * Throws on malformed JSON; the server then answers 400 unless a hook answers first.
 */
export function parseBodyByContentType(raw: string, contentType: string): unknown {
  if (raw === '') return undefined;
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return JSON.parse(raw) as unknown;
  if (type === 'application/x-www-form-urlencoded') return parseFlatParams(raw);
  return raw;
}

/** Stable JSON (sorted keys), to compare the body of a retried request with the original's. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

export type ParsedAuthorization = { scheme: 'Bearer'; token: string } | { scheme: 'Basic'; user: string; password: string } | { scheme: string; credentials: string };

/** `Authorization` split into scheme and credentials, so tests can assert on the secret sent. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  const credentials = space === -1 ? '' : header.slice(space + 1).trim();
  if (scheme.toLowerCase() === 'bearer') return { scheme: 'Bearer', token: credentials };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { scheme: 'Basic', user: colon === -1 ? decoded : decoded.slice(0, colon), password: colon === -1 ? '' : decoded.slice(colon + 1) };
  }
  return { scheme, credentials };
}
