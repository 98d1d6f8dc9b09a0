import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';

interface CorrelationStore {
  correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationStore>();

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

// Runs fn with a correlation id visible to every log line and outgoing event it produces.
export function withCorrelationId<T>(correlationId: string | undefined, fn: () => T): T {
  return storage.run({ correlationId: sanitizeCorrelationId(correlationId) ?? randomUUID() }, fn);
}

// Callers may send any header value; keep it short and printable so it cannot poison logs.
export function sanitizeCorrelationId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > 128 || !/^[\w.:-]+$/.test(trimmed)) return undefined;
  return trimmed;
}
