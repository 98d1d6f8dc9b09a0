import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

// Two ports per service. The internal PORT serves what only the gateway, the cluster and
// operators call: subgraph GraphQL, /metrics, /health/*. A service with routes for the outside
// world (sensors posting to ingestion's /ingest, Stripe posting to contracts' /webhooks/stripe)
// declares them as `publicRoutes` and serves them on PUBLIC_PORT alone: the public port answers
// 404 to everything else, the internal port 404 to the public routes. One Fastify app serves both
// (a second Node HTTP server hands its requests to the same router), so a route moves between
// them by being listed or not.

const VIA_PUBLIC_PORT = Symbol.for('kanshi.viaPublicPort');
export const GATEWAY_SECRET_HEADER = 'x-kanshi-gateway-secret';

const publicServers = new WeakMap<object, Server[]>();

export function isPublicPath(url: string, prefixes: readonly string[]): boolean {
  const p = url.split('?')[0];
  return prefixes.some((prefix) => {
    const base = prefix.replace(/\/+$/, '');
    return p === base || p.startsWith(`${base}/`);
  });
}

function notFound(req: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ message: `Route ${req.method}:${req.url.split('?')[0]} not found`, error: 'Not Found', statusCode: 404 });
}

// Called by createServiceApp before Nest registers any route.
export function installPortSplit(fastify: FastifyInstance, publicRoutes: readonly string[]): void {
  const servers: Server[] = [];
  publicServers.set(fastify, servers);
  fastify.addHook('onRequest', async (req, reply) => {
    const viaPublic = (req.raw as IncomingMessage & { [VIA_PUBLIC_PORT]?: boolean })[VIA_PUBLIC_PORT] === true;
    if (viaPublic !== isPublicPath(req.url, publicRoutes)) return notFound(req, reply);
  });
  fastify.addHook('onClose', async () => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeIdleConnections();
          }),
      ),
    );
  });
}

// Subgraph GraphQL answers only the gateway when a secret is configured (required in production):
// the gateway sends it in GATEWAY_SECRET_HEADER, compared in constant time before the body is read.
export function installGatewaySecret(fastify: FastifyInstance, secret: string): void {
  const expected = createHash('sha256').update(secret).digest();
  fastify.addHook('onRequest', async (req, reply) => {
    if (!isPublicPath(req.url, ['/graphql'])) return;
    const given = req.headers[GATEWAY_SECRET_HEADER];
    const ok = typeof given === 'string' && timingSafeEqual(createHash('sha256').update(given).digest(), expected);
    if (!ok) {
      return reply.code(401).send({ errors: [{ message: 'this subgraph answers only the Kanshi gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  });
}

// Starts the public listener of an app booted with `publicRoutes`, after app.listen(). Closed with
// the app. Port 0 picks a free port (tests); the URL is returned.
export async function listenPublic(app: NestFastifyApplication, port: number, host = '127.0.0.1'): Promise<string> {
  const fastify = app.getHttpAdapter().getInstance();
  const servers = publicServers.get(fastify);
  if (!servers) throw new Error('listenPublic: the app was created without publicRoutes');
  await fastify.ready();
  // Sensors and webhooks are slow clients at worst: bounded header and request times.
  const server = createServer({ headersTimeout: 20_000, requestTimeout: 120_000, keepAliveTimeout: 5_000 }, (req, res) => {
    (req as IncomingMessage & { [VIA_PUBLIC_PORT]?: boolean })[VIA_PUBLIC_PORT] = true;
    fastify.routing(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  servers.push(server);
  const addr = server.address() as AddressInfo;
  return `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
}
