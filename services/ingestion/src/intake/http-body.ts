import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeDeviceText } from '../parsers/charset';
import { splitHttpBody } from '../parsers/body-splitter';

export const INGEST_PATH_PREFIX = '/ingest/';

// Fastify parses bodies before any handler runs, by content type, for every route. Intake needs
// the bytes exactly as sent, whatever the sensor calls them (JSON, NDJSON, text, none), with its
// own size limit; GraphQL keeps the default JSON parsing and limit.
export function installIngestBodyParsers(fastify: FastifyInstance, limits: { ingestMaxBytes: number; defaultMaxBytes: number }): void {
  const isIngest = (req: FastifyRequest) => req.url.startsWith(INGEST_PATH_PREFIX);
  // HTTP exceptions: answered with their status, not logged as unexpected errors
  const tooLarge = () => new PayloadTooLargeException('Request body is too large');
  const json = fastify.getDefaultJsonParser('error', 'error');
  const opts = { parseAs: 'buffer' as const, bodyLimit: Math.max(limits.ingestMaxBytes, limits.defaultMaxBytes) };

  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  // the larger of the two limits is enforced by Fastify while reading, the smaller one here
  const ingestBody = (body: Buffer, done: (err: Error | null, body?: unknown) => void) => (body.length > limits.ingestMaxBytes ? done(tooLarge(), undefined) : done(null, body));
  fastify.addContentTypeParser<Buffer>('application/json', opts, (req, body, done) => {
    if (isIngest(req)) return ingestBody(body, done);
    if (body.length > limits.defaultMaxBytes) return done(tooLarge(), undefined);
    // secure-json-parse reads buffers too (Nest's own JSON parser passes one)
    json(req, body as unknown as string, done);
  });
  fastify.addContentTypeParser<Buffer>('text/plain', opts, (req, body, done) => {
    if (isIngest(req)) return ingestBody(body, done);
    if (body.length > limits.defaultMaxBytes) return done(tooLarge(), undefined);
    done(null, body.toString('utf8'));
  });
  fastify.addContentTypeParser<Buffer>('*', opts, (req, body, done) => {
    if (isIngest(req)) return ingestBody(body, done);
    done(new UnsupportedMediaTypeException(`Unsupported Media Type: ${req.headers['content-type'] ?? 'none'}`), undefined);
  });
}

export type Decompressed = { ok: true; body: Buffer } | { ok: false; status: 400 | 413 | 415; error: string };

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

// Content-Encoding gzip (or deflate); the decompressed size is limited as the received one is,
// so a small bomb cannot grow into memory.
export async function decompress(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Decompressed> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return { ok: true, body };
  if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') return { ok: false, status: 415, error: `Content-Encoding ${encoding} is not supported (use gzip)` };
  try {
    const out = await (encoding === 'deflate' ? inflate : gunzip)(body, { maxOutputLength: maxBytes });
    return { ok: true, body: out };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      return { ok: false, status: 413, error: `decompressed body exceeds ${maxBytes} bytes` };
    }
    return { ok: false, status: 400, error: `body is not valid ${encoding}: ${(err as Error).message}` };
  }
}

export interface SplitRecord {
  text?: string;
  // the bytes as received, when the record is the whole body (kept in quarantine unchanged)
  bytes?: Buffer;
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
