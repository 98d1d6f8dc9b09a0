// A FireEye NX / CM appliance's Web Services API v2.0.0, reached over the customer's VPN: login
// with HTTP Basic (the token comes back in the X-FeApi-Token header), alerts since a cursor
// (start_time + duration, info_level=extended: the alert-notification shape ingestion's FireEye
// parser reads), logout.
// - A token the appliance no longer accepts (401 on a call with a token: expired, or the
//   appliance restarted) is dropped and the client logs in again, once; a second refusal, or a
//   refused login, is VendorError AUTH "FireEye <appliance> refused the credentials: <message>".
// - A 5xx, a refused or dropped connection and a timeout are retried `maxRetries` times after a
//   random wait in [d/2, d], d = min(retryMaxMs, retryBaseMs x 2^retry); then UNAVAILABLE / TIMEOUT.
// - A 429 waits its Retry-After (at most `maxRateLimitWaits` times, each at most maxRetryAfterMs);
//   then RATE_LIMITED.
import { request } from 'undici';
import { VendorError } from '../connectors/vendor-error';
import { backoffMs, retryAfterMs } from '../connectors/vendor-http';

export interface FireEyeWsTarget {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
  maxRetries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  maxRateLimitWaits?: number;
  maxRetryAfterMs?: number;
}

// One alerts answer: the notification head (appliance, product, version) and its alerts.
export interface FireEyeWsAlerts {
  head: Record<string, unknown>;
  alerts: Record<string, unknown>[];
}

const API = '/wsapis/v2.0.0';

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; json: unknown; text: string };

export class FireEyeWsClient {
  private token: string | null = null;
  private readonly s: Required<Omit<FireEyeWsTarget, 'baseUrl' | 'username' | 'password'>>;

  constructor(private readonly target: FireEyeWsTarget) {
    this.s = {
      timeoutMs: target.timeoutMs,
      maxRetries: target.maxRetries ?? 3,
      retryBaseMs: target.retryBaseMs ?? 200,
      retryMaxMs: target.retryMaxMs ?? 5000,
      maxRateLimitWaits: target.maxRateLimitWaits ?? 5,
      maxRetryAfterMs: target.maxRetryAfterMs ?? 60_000,
    };
  }

  async login(): Promise<void> {
    const basic = Buffer.from(`${this.target.username}:${this.target.password}`).toString('base64');
    const res = await this.call('POST', `${API}/auth/login`, { authorization: `Basic ${basic}` });
    if (res.status === 401 || res.status === 403) throw new VendorError('AUTH', `FireEye ${this.appliance()} refused the credentials: ${messageOf(res)}`, res.status);
    this.fail(res, 'POST', `${API}/auth/login`);
    const token = res.headers['x-feapi-token'];
    this.token = Array.isArray(token) ? token[0] : (token ?? null);
    if (!this.token) throw new VendorError('REJECTED', `FireEye ${this.appliance()}: login answered without an X-FeApi-Token`);
  }

  async logout(): Promise<void> {
    if (!this.token) return;
    const token = this.token;
    this.token = null;
    await this.call('POST', `${API}/auth/logout`, { 'x-feapi-token': token }).catch(() => undefined);
  }

  // Alerts that occurred in [start, start + hours).
  async alerts(start: Date, hours: number): Promise<FireEyeWsAlerts> {
    const query = new URLSearchParams({ start_time: wsTime(start), duration: `${hours}_hours`, info_level: 'extended' });
    const path = `${API}/alerts?${query.toString()}`;
    let res: Answer | undefined;
    for (let relogin = 0; relogin < 2; relogin++) {
      if (!this.token) await this.login();
      res = await this.call('GET', path, { 'x-feapi-token': this.token!, accept: 'application/json' });
      if (res.status !== 401) break;
      // the appliance no longer takes the token: log in again, once
      this.token = null;
    }
    if (res!.status === 401 || res!.status === 403) throw new VendorError('AUTH', `FireEye ${this.appliance()} refused the credentials: ${messageOf(res!)}`, res!.status);
    this.fail(res!, 'GET', `${API}/alerts`);
    const json = res!.json as Record<string, unknown> | undefined;
    if (!json || typeof json !== 'object') throw new VendorError('REJECTED', `FireEye ${this.appliance()} GET ${API}/alerts: the answer is not a JSON object`, res!.status);
    const { alert, alertsCount: _count, ...head } = json;
    const alerts = (Array.isArray(alert) ? alert : alert ? [alert] : []).filter((a): a is Record<string, unknown> => !!a && typeof a === 'object');
    return { head, alerts };
  }

  private appliance(): string {
    return this.target.baseUrl.replace(/\/+$/, '');
  }

  // Throws for a non-2xx answer (401/403 are the caller's).
  private fail(res: Answer, method: string, path: string): void {
    if (res.status >= 200 && res.status < 300) return;
    const message = `FireEye ${this.appliance()} ${method} ${path}: ${res.status} ${messageOf(res)}`;
    if (res.status === 401 || res.status === 403) throw new VendorError('AUTH', message, res.status);
    if (res.status === 429) throw new VendorError('RATE_LIMITED', message, res.status);
    if (res.status >= 500) throw new VendorError('UNAVAILABLE', message, res.status);
    throw new VendorError('REJECTED', message, res.status);
  }

  // One request, with the retries of 5xx / timeouts / connection errors and the 429 waits; the
  // last answer is returned (a 5xx or 429 after the allowed retries included).
  private async call(method: 'GET' | 'POST', path: string, headers: Record<string, string>): Promise<Answer> {
    const url = new URL(path, this.appliance() + '/');
    let retries = 0;
    let waits = 0;
    for (;;) {
      let res: Answer;
      try {
        const r = await request(url, { method, headers, headersTimeout: this.s.timeoutMs, bodyTimeout: this.s.timeoutMs });
        const text = await r.body.text();
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        res = { status: r.statusCode, headers: r.headers, json, text };
      } catch (err) {
        const timeout = /timeout/i.test((err as Error).name) || /timeout/i.test((err as Error).message);
        if (retries < this.s.maxRetries) {
          await sleep(backoffMs(retries++, this.s.retryBaseMs, this.s.retryMaxMs));
          continue;
        }
        throw new VendorError(timeout ? 'TIMEOUT' : 'UNAVAILABLE', `FireEye ${this.appliance()} ${method} ${path.split('?')[0]}: ${(err as Error).message} (after ${retries} retries)`);
      }
      if (res.status >= 500 && retries < this.s.maxRetries) {
        await sleep(backoffMs(retries++, this.s.retryBaseMs, this.s.retryMaxMs));
        continue;
      }
      if (res.status === 429 && waits < this.s.maxRateLimitWaits) {
        const wait = retryAfterMs(res.headers, Date.now()) ?? this.s.retryBaseMs;
        if (wait <= this.s.maxRetryAfterMs) {
          waits++;
          await sleep(wait);
          continue;
        }
      }
      return res;
    }
  }
}

// The appliance's own words: {"fireeyeapis":{"description","message"}} or the body's start.
function messageOf(res: Answer): string {
  const fe = (res.json as { fireeyeapis?: { description?: string; message?: string } } | undefined)?.fireeyeapis;
  return fe?.description ?? fe?.message ?? (res.text.slice(0, 200) || `HTTP ${res.status}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// The Web Services API's time format: 2026-12-02T14:00:00.000+00:00.
function wsTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}
