// The HTTP core every adapter calls through: per call a circuit breaker check and a per-vendor
// concurrency slot; per attempt a timeout; retries with jittered exponential back-off after a 5xx,
// a timeout or a refused connection; waits honouring Retry-After after a 429; one re-login when the
// vendor says the session or token expired; every exchange recorded without secrets.
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { EdrProductCode } from '@kanshi/events';
import { ConnectorRuntime, VendorSession } from './connector-runtime';
import { VendorExchange } from './edr-connector';
import { excerpt, redact } from './redaction';
import { VendorError } from './vendor-error';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | string[] | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  // false for the login request itself.
  authenticated?: boolean;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // The parsed JSON body; undefined when empty or not JSON.
  json: unknown;
}

export interface VendorTarget {
  product: EdrProductCode;
  // The vendor's name in messages ("CrowdStrike").
  label: string;
  customerId: string;
  baseUrl: string;
  clientId: string;
  secret: string;
}

export interface VendorAuth {
  // Logs in through `http.exchange` (no session); throws VendorError AUTH with the vendor's message.
  login(http: VendorHttp, log: VendorExchange[]): Promise<VendorSession>;
  // Whether this answer to an authenticated request means the session or token is no longer valid.
  expired(answer: HttpAnswer): boolean;
  // The vendor's message in an error answer.
  message(answer: HttpAnswer): string;
}

type Attempt = { kind: 'answer'; answer: HttpAnswer } | { kind: 'timeout' } | { kind: 'network'; message: string };

export class VendorHttp {
  private readonly base: string;
  private readonly sessionKey: string;

  constructor(
    private readonly runtime: ConnectorRuntime,
    readonly target: VendorTarget,
    private readonly auth: VendorAuth,
    private readonly onExchange?: (exchange: VendorExchange) => void,
  ) {
    this.base = target.baseUrl.replace(/\/+$/, '');
    this.sessionKey = `${sessionPrefix(target.product, target.customerId)}${this.base}|${target.clientId}|${createHash('sha256').update(target.secret).digest('hex')}`;
  }

  // One call as the adapter sees it; answers below 500 other than 429 are returned (the adapter
  // reads 404 and other refusals), everything else becomes a VendorError.
  async call(req: HttpRequest, log: VendorExchange[]): Promise<HttpAnswer> {
    const breaker = this.runtime.breaker(this.target.product, this.target.customerId);
    if (!breaker.tryAcquire()) {
      throw new VendorError('CIRCUIT_OPEN', `${this.target.label} circuit open after repeated failures; next try after ${breaker.reopensAt?.toISOString() ?? 'the cool-down'}`, null, [...log]);
    }
    return this.runtime.limiter(this.target.product).run(async () => {
      try {
        const answer = await this.authenticated(req, log);
        breaker.success();
        return answer;
      } catch (err) {
        if (VendorError.is(err, 'UNAVAILABLE') || VendorError.is(err, 'TIMEOUT')) breaker.failure();
        else if (VendorError.is(err, 'AUTH') || VendorError.is(err, 'REJECTED')) breaker.success();
        else breaker.neutral();
        if (err instanceof VendorError && err.exchanges.length === 0) throw new VendorError(err.kind, err.message, err.status, [...log]);
        throw err;
      }
    });
  }

  // Sends with retries (5xx, timeouts, 429) but no session handling: the login request.
  async exchange(req: HttpRequest, session: VendorSession | null, log: VendorExchange[]): Promise<HttpAnswer> {
    const s = this.runtime.settings;
    let retries = 0;
    let rateWaits = 0;
    for (;;) {
      const attempt = await this.send(req, session, log);
      if (attempt.kind === 'answer' && attempt.answer.status === 429) {
        const wait = retryAfterMs(attempt.answer.headers, this.runtime.now()) ?? s.retryBaseMs;
        if (rateWaits >= s.maxRateLimitWaits || wait > s.maxRetryAfterMs) {
          throw new VendorError('RATE_LIMITED', `${this.target.label} rate limit: ${this.auth.message(attempt.answer)}`, 429);
        }
        rateWaits++;
        await this.runtime.sleep(wait);
        continue;
      }
      if (attempt.kind === 'answer' && attempt.answer.status < 500) return attempt.answer;
      if (retries >= s.maxRetries) {
        if (attempt.kind === 'timeout') throw new VendorError('TIMEOUT', `${this.target.label} did not answer within ${s.timeoutMs} ms (${retries + 1} attempts)`);
        if (attempt.kind === 'network') throw new VendorError('UNAVAILABLE', `${this.target.label} unreachable: ${attempt.message} (${retries + 1} attempts)`);
        throw new VendorError('UNAVAILABLE', `${this.target.label} answered ${attempt.answer.status}: ${this.auth.message(attempt.answer)} (${retries + 1} attempts)`, attempt.answer.status);
      }
      await this.runtime.sleep(backoffMs(retries, s.retryBaseMs, s.retryMaxMs));
      retries++;
    }
  }

  private async authenticated(req: HttpRequest, log: VendorExchange[]): Promise<HttpAnswer> {
    if (req.authenticated === false) return this.exchange(req, null, log);
    let session = await this.session(log);
    let answer = await this.exchange(req, session, log);
    if (!this.auth.expired(answer)) return answer;
    // Expired or revoked: log in again once and retry; a second refusal is the credentials.
    this.dropSession(session);
    session = await this.session(log);
    answer = await this.exchange(req, session, log);
    if (this.auth.expired(answer)) {
      this.dropSession(session);
      throw new VendorError('AUTH', `${this.target.label} refused the credentials: ${this.auth.message(answer)}`, answer.status);
    }
    return answer;
  }

  private async session(log: VendorExchange[]): Promise<VendorSession> {
    const slot = this.runtime.session(this.sessionKey);
    const current = slot.session;
    // A token about to expire (within 30 s) is renewed before use.
    if (current && (current.expiresAt === null || current.expiresAt - 30_000 > this.runtime.now())) return current;
    if (!slot.pending) {
      slot.pending = this.auth
        .login(this, log)
        .then((s) => {
          slot.session = s;
          return s;
        })
        .finally(() => {
          slot.pending = null;
        });
    }
    return slot.pending;
  }

  private dropSession(session: VendorSession): void {
    const slot = this.runtime.session(this.sessionKey);
    if (slot.session === session) slot.session = null;
  }

  private secrets(session: VendorSession | null): string[] {
    const slot = this.runtime.session(this.sessionKey);
    return [this.target.secret, session?.token ?? '', slot.session?.token ?? ''];
  }

  private async send(req: HttpRequest, session: VendorSession | null, log: VendorExchange[]): Promise<Attempt> {
    const timeoutMs = this.runtime.settings.timeoutMs;
    const url = new URL(this.base + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...(session?.headers ?? {}), ...(req.headers ?? {}) };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const started = this.runtime.now();
    const at = new Date(started).toISOString();
    const record = (status: number | null, summary: string): void => {
      const secrets = this.secrets(session);
      const exchange: VendorExchange = {
        at,
        method: req.method,
        path: redact(`${url.pathname}${url.search}`, secrets),
        status,
        summary: excerpt(redact(summary, secrets)),
        durationMs: this.runtime.now() - started,
      };
      log.push(exchange);
      this.onExchange?.(exchange);
    };
    try {
      const res = await request(url, {
        method: req.method,
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.body.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      const answer: HttpAnswer = { status: res.statusCode, headers: res.headers, text, json };
      record(res.statusCode, text === '' ? `HTTP ${res.statusCode}` : text);
      return { kind: 'answer', answer };
    } catch (err) {
      const e = err as Error & { code?: string };
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || /TIMEOUT/i.test(e.code ?? '');
      const message = timedOut ? `no answer within ${timeoutMs} ms` : (e.code ?? e.message);
      record(null, message);
      return timedOut ? { kind: 'timeout' } : { kind: 'network', message };
    }
  }
}

export function sessionPrefix(product: EdrProductCode, customerId: string): string {
  return `${product}|${customerId}|`;
}

// A random wait in [d/2, d], d = min(max, base * 2^retry) ("equal jitter").
export function backoffMs(retry: number, baseMs: number, maxMs: number): number {
  const d = Math.min(maxMs, baseMs * 2 ** retry);
  return Math.round(d / 2 + Math.random() * (d / 2));
}

// Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), else CrowdStrike's
// X-RateLimit-RetryAfter (epoch seconds); undefined when none.
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim();
  const ra = first(headers['retry-after']);
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const epoch = first(headers['x-ratelimit-retryafter']);
  if (epoch && /^\d+$/.test(epoch)) return Math.max(0, Number(epoch) * 1000 - now);
  return undefined;
}
