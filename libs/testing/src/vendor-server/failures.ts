// Scripted failures for the vendor-server kit: "the next N matching requests fail this way".
import { MatchableRequest, matches, RequestMatch } from './routes';

/**
 * How an injected failure behaves:
 * - `error`: answer `status` (500 by default) with `json`, without running the route;
 * - `rate-limit`: answer 429 with `Retry-After` (seconds, or an HTTP date for a Date);
 * - `expired-token`: answer 401 `invalid_token` with an RFC 6750 `WWW-Authenticate` header;
 * - `drop`: read the request, then destroy the connection without running the route;
 * - `lose-response`: run the route (and save its idempotent result), then destroy the connection;
 * - `hang`: never answer (the client's own timeout fires; `stop()` closes the connection);
 * - `delay`: wait `ms`, then run the route and answer normally (too late for a client with a
 *   shorter timeout, which is what happens when a vendor commits but the caller gave up).
 */
export type Failure =
  | { kind: 'error'; status?: number; json?: unknown; headers?: Record<string, string> }
  | { kind: 'rate-limit'; retryAfter?: number | Date; json?: unknown; headers?: Record<string, string> }
  | { kind: 'expired-token'; json?: unknown }
  | { kind: 'drop' }
  | { kind: 'lose-response' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number };

export type FailureKind = Failure['kind'];

export interface FailureScope<R extends MatchableRequest> extends RequestMatch<R> {
  /** Let this many matching requests through before failing. */
  skip?: number;
}

interface Rule<R extends MatchableRequest> {
  failure: Failure;
  scope: FailureScope<R> | undefined;
  remaining: number;
  skip: number;
}

export class FailureScript<R extends MatchableRequest> {
  private rules: Rule<R>[] = [];

  add(n: number, failure: Failure, scope?: FailureScope<R>): void {
    if (!(n === Infinity || (Number.isInteger(n) && n >= 1))) throw new RangeError('failNext: n must be a positive integer or Infinity');
    this.rules.push({ failure, scope, remaining: n, skip: scope?.skip ?? 0 });
  }

  /** The failure the first matching rule gives this request, counting it down. */
  take(req: R): Failure | undefined {
    for (const rule of this.rules) {
      if (!matches(rule.scope, req)) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      rule.remaining--;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
      return rule.failure;
    }
    return undefined;
  }

  get pending(): number {
    return this.rules.reduce((sum, r) => sum + r.remaining, 0);
  }

  clear(): void {
    this.rules = [];
  }
}

/** `Retry-After` as delay-seconds, or as an IMF-fixdate for a moment (RFC 9110 §10.2.3). */
export function retryAfterHeader(value: number | Date): string {
  return value instanceof Date ? value.toUTCString() : String(Math.max(0, Math.ceil(value)));
}
