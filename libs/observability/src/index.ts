export { CORRELATION_HEADER, currentCorrelationId, withCorrelationId, sanitizeCorrelationId } from './correlation';
export { createLogger, rootLogger, NestPinoLogger } from './logger';
export type { Logger } from './logger';
export { initMetrics, metricsRegistry, counter, gauge, histogram } from './metrics';
export { HealthModule, HealthRegistry, HealthController } from './health';
export type { HealthCheck } from './health';
export { AuditScope, currentAuditScope, withAuditScope } from './audit-scope';
