import pino, { Logger as PinoLogger } from 'pino';
import { LoggerService } from '@nestjs/common';
import { currentCorrelationId } from './correlation';

let root: PinoLogger | undefined;

export function rootLogger(): PinoLogger {
  if (!root) {
    root = pino({
      level: process.env.LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The correlation id is read at write time, so one logger per class serves every request.
      mixin: () => {
        const correlationId = currentCorrelationId();
        const service = process.env.KANSHI_SERVICE ?? 'kanshi';
        return correlationId ? { service, correlationId } : { service };
      },
      redact: { paths: ['*.authorization', '*.password', '*.token', '*.secret', 'req.headers.authorization'], censor: '[redacted]' },
    });
  }
  return root;
}

export function createLogger(name: string): PinoLogger {
  return rootLogger().child({ logger: name });
}

// Nest's own messages (bootstrap, route mapping) go through pino as JSON too.
export class NestPinoLogger implements LoggerService {
  private readonly logger = createLogger('nest');
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, err: trace ? { stack: trace } : undefined }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

export type Logger = PinoLogger;
