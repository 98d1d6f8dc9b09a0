import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const INGEST_PATH_PREFIX = '/ingest/';

// Fastify parses bodies before any handler runs, by content type, for every route. Intake needs
// the bytes exactly as sent, whatever the sensor calls them (JSON, NDJSON, text, none), with its
// own size limit; GraphQL keeps the default JSON parsing and limit.
// What intake checks from the headers alone, before a byte of the body is read (bodies run to
// INGEST_MAX_BODY_BYTES: an unauthenticated or excess request must not get to spend that memory).
export interface IngestGuard {
  // true when the token authenticates the sensor (unknown, revoked and wrong look alike)
  authenticate(sensorId: string, authorization: string | undefined): Promise<boolean>;
  // bodies read at once; more are answered 503 with Retry-After
  maxConcurrentBodies: number;
}

const INGEST_ROUTE = /^\/ingest\/v1\/sensors\/([^/?]+)\/(events|heartbeat)(?:\?|$)/;

export function installIngestBodyParsers(fastify: FastifyInstance, limits: { ingestMaxBytes: number; defaultMaxBytes: number }, guard?: IngestGuard): void {
  const isIngest = (req: FastifyRequest) => req.url.startsWith(INGEST_PATH_PREFIX);
  if (guard) installIngestGuard(fastify, guard);
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
    // secure-json-parse reads buffers too (Nest's own JSON parser passes one); it answers through done
    void json(req, body as unknown as string, done);
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

function installIngestGuard(fastify: FastifyInstance, guard: IngestGuard): void {
  let reading = 0;
  const counted = new WeakSet<FastifyRequest>();
  const release = (req: FastifyRequest) => {
    if (counted.delete(req)) reading--;
  };
  // onRequest runs before Fastify reads the body (content type parsers come later)
  fastify.addHook('onRequest', async (req, reply) => {
    const route = req.method === 'POST' ? INGEST_ROUTE.exec(req.url) : null;
    if (!route) return;
    const authorization = req.headers.authorization;
    if (!(await guard.authenticate(decodeURIComponent(route[1]), Array.isArray(authorization) ? authorization[0] : authorization))) {
      reply.header('www-authenticate', 'Bearer realm="kanshi-ingest"').header('connection', 'close');
      return reply.status(401).send({ error: 'unknown sensor or invalid ingest token' });
    }
    if (route[2] !== 'events') return;
    if (reading >= guard.maxConcurrentBodies) {
      reply.header('retry-after', '1').header('connection', 'close');
      return reply.status(503).send({ error: `intake is reading ${guard.maxConcurrentBodies} bodies already; retry after 1 s` });
    }
    reading++;
    counted.add(req);
    // answered, failed or cut off: the socket's response closes once either way
    reply.raw.once('close', () => release(req));
  });
}
