import 'reflect-metadata';
import { DynamicModule, INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError } from '@kanshi/config';
import { CORRELATION_HEADER, createLogger, initMetrics, NestPinoLogger, sanitizeCorrelationId, withCorrelationId } from '@kanshi/observability';
import { randomUUID } from 'node:crypto';
import { DomainErrorFilter } from './domain-error.filter';
import { installGatewaySecret, installPortSplit, listenPublic } from './public-port';
import { trustProxyOf } from './trust-proxy';

export interface BootOptions {
  service: string;
  port: number;
  host?: string;
  bodyLimitBytes?: number;
  rawBody?: boolean;
  // Log lines carry the request's correlation id through AsyncLocalStorage, which on Node 20
  // costs every promise a hook; the gateway, which logs little, passes the id explicitly instead.
  correlationContext?: boolean;
  // Routes for the outside world (path prefixes), served on the public port only (public-port.ts).
  publicRoutes?: readonly string[];
  // When set, subgraph GraphQL answers only calls carrying it (SUBGRAPH_SECRET, from the gateway).
  gatewaySecret?: string;
}

export async function createServiceApp(module: Type<unknown> | DynamicModule, opts: BootOptions): Promise<NestFastifyApplication> {
  process.env.KANSHI_SERVICE = opts.service;
  initMetrics(opts.service);
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (trust-proxy.ts)
  const adapter = new FastifyAdapter({ bodyLimit: opts.bodyLimitBytes ?? 1024 * 1024, trustProxy: trustProxyOf(opts.service, process.env.TRUST_PROXY) });
  if (opts.publicRoutes) installPortSplit(adapter.getInstance(), opts.publicRoutes);
  if (opts.gatewaySecret) installGatewaySecret(adapter.getInstance(), opts.gatewaySecret);
  // Correlation id from the caller (gateway, sensor, operator) or a new one; on every log line.
  adapter.getInstance().addHook('onRequest', (req, reply, done) => {
    const id = sanitizeCorrelationId(req.headers[CORRELATION_HEADER]) ?? randomUUID();
    req.headers[CORRELATION_HEADER] = id;
    reply.header(CORRELATION_HEADER, id);
    if (opts.correlationContext === false) done();
    else withCorrelationId(id, () => done());
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new NestPinoLogger(),
    bufferLogs: false,
    rawBody: opts.rawBody ?? false,
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new DomainErrorFilter());
  return app;
}

// The whole life of a service process: validated config, the app, listen, clean exit.
// `publicPort` (0: off) serves the app's publicRoutes.
export async function runService(name: string, build: () => Promise<{ app: INestApplication; port: number; host?: string; publicPort?: number; publicHost?: string }>): Promise<void> {
  const log = createLogger('bootstrap');
  let app: INestApplication;
  let port: number;
  let host: string | undefined;
  let publicPort: number | undefined;
  let publicHost: string | undefined;
  try {
    ({ app, port, host, publicPort, publicHost } = await build());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    log.fatal({ err }, `${name} failed to start`);
    process.exit(1);
  }
  await app.listen(port, host ?? process.env.LISTEN_HOST ?? '127.0.0.1');
  log.info({ port }, `${name} listening`);
  if (publicPort) {
    await listenPublic(app as NestFastifyApplication, publicPort, publicHost ?? host ?? process.env.LISTEN_HOST ?? '127.0.0.1');
    log.info({ publicPort }, `${name} public routes listening`);
  }
  // Graceful shutdown: stop taking requests and messages, finish what is in hand, drain NATS,
  // close the pool (the platform's lifecycle hooks), then exit 0; a hang past the timeout exits 1.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const timeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10000);
    log.info({ signal }, `${name} shutting down`);
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, `${name} did not stop in time; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app
      .close()
      .then(() => {
        log.info(`${name} stopped`);
        process.exit(0);
      })
      .catch((err) => {
        log.error({ err }, `${name} failed to stop cleanly`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
