// A FireEye NX / CM appliance's Web Services API v2.0.0, reached over the customer's VPN: login
// with HTTP Basic (the token comes back in the X-FeApi-Token header), alerts since a cursor
// (start_time + duration, info_level=extended: the alert-notification shape ingestion's FireEye
// parser reads), logout. 401 / 403 -> VendorError AUTH; a 5xx, a 429 or a timeout -> UNAVAILABLE /
// RATE_LIMITED / TIMEOUT (the pull job retries).
import { request } from 'undici';
import { VendorError } from '../connectors/vendor-error';

export interface FireEyeWsTarget {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
}

// One alerts answer: the notification head (appliance, product, version) and its alerts.
export interface FireEyeWsAlerts {
  head: Record<string, unknown>;
  alerts: Record<string, unknown>[];
}

const API = '/wsapis/v2.0.0';

export class FireEyeWsClient {
  private token: string | null = null;

  constructor(private readonly target: FireEyeWsTarget) {}

  async login(): Promise<void> {
    const basic = Buffer.from(`${this.target.username}:${this.target.password}`).toString('base64');
    const res = await this.call('POST', `${API}/auth/login`, { authorization: `Basic ${basic}` });
    const token = res.headers['x-feapi-token'];
    this.token = Array.isArray(token) ? token[0] : (token ?? null);
    if (!this.token) throw new VendorError('REJECTED', 'FireEye: login answered without an X-FeApi-Token');
  }

  async logout(): Promise<void> {
    if (!this.token) return;
    const token = this.token;
    this.token = null;
    await this.call('POST', `${API}/auth/logout`, { 'x-feapi-token': token }).catch(() => undefined);
  }

  // Alerts that occurred in [start, start + hours).
  async alerts(start: Date, hours: number): Promise<FireEyeWsAlerts> {
    if (!this.token) await this.login();
    const query = new URLSearchParams({ start_time: wsTime(start), duration: `${hours}_hours`, info_level: 'extended' });
    const res = await this.call('GET', `${API}/alerts?${query.toString()}`, { 'x-feapi-token': this.token!, accept: 'application/json' });
    const json = res.json as Record<string, unknown>;
    const { alert, alertsCount: _count, ...head } = json ?? {};
    const alerts = (Array.isArray(alert) ? alert : alert ? [alert] : []).filter((a): a is Record<string, unknown> => !!a && typeof a === 'object');
    return { head, alerts };
  }

  private async call(method: 'GET' | 'POST', path: string, headers: Record<string, string>): Promise<{ headers: Record<string, string | string[] | undefined>; json: unknown }> {
    let res;
    try {
      res = await request(new URL(path, this.target.baseUrl.replace(/\/+$/, '') + '/'), { method, headers, headersTimeout: this.target.timeoutMs, bodyTimeout: this.target.timeoutMs });
    } catch (err) {
      const timeout = /timeout/i.test((err as Error).name) || /timeout/i.test((err as Error).message);
      throw new VendorError(timeout ? 'TIMEOUT' : 'UNAVAILABLE', `FireEye ${method} ${path.split('?')[0]}: ${(err as Error).message}`);
    }
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return { headers: res.headers, json };
    const fe = (json as { fireeyeapis?: { description?: string; message?: string } } | undefined)?.fireeyeapis;
    const message = `FireEye ${method} ${path.split('?')[0]}: ${res.statusCode} ${fe?.description ?? fe?.message ?? text.slice(0, 200)}`;
    if (res.statusCode === 401 || res.statusCode === 403) throw new VendorError('AUTH', message, res.statusCode);
    if (res.statusCode === 429) throw new VendorError('RATE_LIMITED', message, res.statusCode);
    if (res.statusCode >= 500) throw new VendorError('UNAVAILABLE', message, res.statusCode);
    throw new VendorError('REJECTED', message, res.statusCode);
  }
}

// The Web Services API's time format: 2026-12-02T14:00:00.000+00:00.
function wsTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}
