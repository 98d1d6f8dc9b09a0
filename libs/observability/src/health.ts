import { Controller, Get, Global, Header, HttpCode, Injectable, Module, Res, OnApplicationShutdown } from '@nestjs/common';
import { createLogger } from './logger';
import { metricsRegistry } from './metrics';

const log = createLogger('health');

export type HealthCheck = () => Promise<void>;

// Libraries register the dependencies a service needs (PostgreSQL, NATS); /health/ready runs them all.
@Injectable()
export class HealthRegistry implements OnApplicationShutdown {
  private readonly checks = new Map<string, HealthCheck>();
  private shuttingDown = false;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  onApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  async run(timeoutMs = 2000): Promise<{ ok: boolean; checks: Record<string, string> }> {
    const results: Record<string, string> = {};
    if (this.shuttingDown) return { ok: false, checks: { shutdown: 'shutting down' } };
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs, `${name} did not answer within ${timeoutMs} ms`);
          results[name] = 'ok';
        } catch (err) {
          // The answer says which dependency failed, not its internal host and port (the log does).
          log.warn({ err, check: name }, `readiness check ${name} failed`);
          results[name] = err instanceof TimeoutError ? 'timeout' : 'failed';
        }
      }),
    );
    return { ok: Object.values(results).every((r) => r === 'ok'), checks: results };
  }
}

class TimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(message)), ms);
    }),
  ]);
}

interface ReplyLike {
  status(code: number): ReplyLike;
  send(body: unknown): unknown;
}

@Controller()
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Get('health/live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() reply: ReplyLike) {
    const result = await this.registry.run();
    reply.status(result.ok ? 200 : 503).send({ status: result.ok ? 'ok' : 'unavailable', checks: result.checks });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics() {
    return metricsRegistry.metrics();
  }
}

@Global()
@Module({ controllers: [HealthController], providers: [HealthRegistry], exports: [HealthRegistry] })
export class HealthModule {}
