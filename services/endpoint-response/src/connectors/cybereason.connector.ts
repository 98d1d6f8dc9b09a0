// Cybereason (https://nest.cybereason.com/documentation/api-documentation): form login
// `POST /login.html` (username, password) -> a JSESSIONID cookie (a failed login is redirected
// back to the login page without one; an expired session answers 302 to /login.html or 401).
// Machines: `POST /rest/sensors/query` {limit, offset, filters:[{fieldName, operator, values}]} ->
// {sensors:[{pylumId, machineName, isolated, ...}], totalResults}. Isolation: `POST
// /rest/monitor/global/commands/isolate` / `un-isolate` {"pylumIds":[...],"malopId":...} -> a map
// pylumId -> result ("Succeeded" or the reason). Malops: `POST /rest/detection/inbox`
// {startTime, endTime} (epoch ms) -> {malops:[MalopInboxModel], totalMalops}.
import { ConnectorRuntime, VendorSession } from './connector-runtime';
import { DetectionPage, EdrConnector, EdrConnectorOptions, EdrCredentials, PulledDetection, VendorActionResult, VendorExchange, VendorHost } from './edr-connector';
import { HttpAnswer, VendorAuth, VendorHttp } from './vendor-http';
import { VendorError } from './vendor-error';

const PAGE = 100;
const DEFAULT_LOOKBACK_MS = 24 * 3600_000;
// Cybereason's sessions end after about 8 hours idle; renew a little earlier.
const SESSION_MS = 7 * 3600_000;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

export function cybereasonMessage(answer: HttpAnswer): string {
  const b = obj(answer.json);
  return str(b.message) ?? str(b.error) ?? str(b.errorMessage) ?? (answer.text && !answer.text.startsWith('<') ? answer.text.slice(0, 200) : `HTTP ${answer.status}`);
}

function location(answer: HttpAnswer): string {
  const l = answer.headers.location;
  return (Array.isArray(l) ? l[0] : l) ?? '';
}

function sessionCookie(answer: HttpAnswer): string | null {
  const raw = answer.headers['set-cookie'];
  for (const c of Array.isArray(raw) ? raw : raw ? [raw] : []) {
    const m = /^JSESSIONID=([^;]+)/.exec(c);
    if (m) return m[1];
  }
  return null;
}

const CR_AUTH: VendorAuth = {
  async login(http, log): Promise<VendorSession> {
    const t = http.target;
    const answer = await http.exchange({ method: 'POST', path: '/login.html', form: { username: t.clientId, password: t.secret } }, null, log);
    const cookie = sessionCookie(answer);
    if (!cookie || /login\.html/.test(location(answer)) || answer.status >= 400) {
      const reason = /error/.test(location(answer)) ? 'invalid user name or password (redirected to login.html?error)' : cybereasonMessage(answer);
      throw new VendorError('AUTH', `Cybereason refused the credentials: ${reason}`, answer.status, [...log]);
    }
    return { headers: { cookie: `JSESSIONID=${cookie}` }, token: cookie, expiresAt: Date.now() + SESSION_MS };
  },
  expired: (answer) => answer.status === 401 || answer.status === 403 || (answer.status === 302 && /login\.html/.test(location(answer))),
  message: cybereasonMessage,
};

export class CybereasonConnector implements EdrConnector {
  readonly product = 'CYBEREASON' as const;
  private readonly http: VendorHttp;

  constructor(runtime: ConnectorRuntime, customerId: string, creds: EdrCredentials, opts: EdrConnectorOptions = {}) {
    this.http = new VendorHttp(runtime, { product: this.product, label: 'Cybereason', customerId, baseUrl: creds.baseUrl, clientId: creds.clientId, secret: creds.secret }, CR_AUTH, opts.onExchange);
  }

  async verify(): Promise<void> {
    await this.query([], 1, 0, []);
  }

  async findHost(query: { agentId?: string | null; hostName?: string | null }): Promise<VendorHost | null> {
    const log: VendorExchange[] = [];
    const filter = query.agentId
      ? { fieldName: 'pylumId', operator: 'Equals', values: [query.agentId] }
      : query.hostName
        ? { fieldName: 'machineName', operator: 'Equals', values: [query.hostName] }
        : null;
    if (!filter) return null;
    return (await this.query([filter], 1, 0, log)).hosts[0] ?? null;
  }

  async listHosts(): Promise<VendorHost[]> {
    const log: VendorExchange[] = [];
    const out: VendorHost[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const { hosts, total } = await this.query([], PAGE, offset, log);
      out.push(...hosts);
      if (hosts.length < PAGE || offset + hosts.length >= total) return out;
    }
  }

  contain(agentId: string, context: { isolationId: string; incidentId: string }): Promise<VendorActionResult> {
    return this.command('isolate', agentId, context);
  }

  release(agentId: string, context: { isolationId: string; incidentId: string }): Promise<VendorActionResult> {
    return this.command('un-isolate', agentId, context);
  }

  async pullDetections(cursor: string | null): Promise<DetectionPage> {
    const log: VendorExchange[] = [];
    const startTime = cursor && /^\d+$/.test(cursor) ? Number(cursor) : Date.now() - DEFAULT_LOOKBACK_MS;
    const endTime = Date.now();
    const answer = this.ok(await this.http.call({ method: 'POST', path: '/rest/detection/inbox', json: { startTime, endTime } }, log), log);
    const detections: PulledDetection[] = [];
    for (const raw of (obj(answer.json).malops as unknown[] | undefined) ?? []) {
      const malop = obj(raw);
      const guid = str(malop.guid);
      if (guid) detections.push({ externalId: guid, record: malop });
    }
    // The inbox answers Malops updated in [startTime, endTime]; the next pull starts after endTime.
    return { detections, nextCursor: detections.length ? String(endTime + 1) : null };
  }

  private async command(kind: 'isolate' | 'un-isolate', agentId: string, context: { incidentId: string }): Promise<VendorActionResult> {
    const log: VendorExchange[] = [];
    const answer = this.ok(await this.http.call({ method: 'POST', path: `/rest/monitor/global/commands/${kind}`, json: { pylumIds: [agentId], malopId: context.incidentId } }, log), log);
    const result = str(obj(answer.json)[agentId]);
    if (result === 'Succeeded') return { accepted: true, message: null, exchanges: log };
    // Tell an unknown machine from a refusal.
    const known = (await this.query([{ fieldName: 'pylumId', operator: 'Equals', values: [agentId] }], 1, 0, log)).hosts.length > 0;
    if (!known) throw new VendorError('NOT_FOUND', `machine ${agentId} not found in Cybereason`, null, log);
    return { accepted: false, message: `Cybereason ${kind}: ${result ?? 'no result for this machine'}`, exchanges: log };
  }

  private async query(filters: Obj[], limit: number, offset: number, log: VendorExchange[]): Promise<{ hosts: VendorHost[]; total: number }> {
    const answer = this.ok(await this.http.call({ method: 'POST', path: '/rest/sensors/query', json: { limit, offset, filters, sortingFieldName: 'machineName', sortDirection: 'ASC' } }, log), log);
    const sensors = (obj(answer.json).sensors as unknown[] | undefined) ?? [];
    const hosts = sensors.map((r) => {
      const s = obj(r);
      const last = s.lastPylumUpdateTimestamp;
      return {
        agentId: str(s.pylumId) ?? '',
        hostName: str(s.machineName) ?? '',
        ips: [str(s.internalIpAddress), str(s.externalIpAddress)].filter((x): x is string => !!x),
        os: str(s.osVersionType) ?? str(s.osType),
        lastSeenAt: typeof last === 'number' ? new Date(last).toISOString() : null,
        containment: s.isolated === true ? 'CONTAINED' : 'NORMAL',
      } satisfies VendorHost;
    });
    return { hosts, total: Number(obj(answer.json).totalResults ?? hosts.length) };
  }

  private ok(answer: HttpAnswer, log: VendorExchange[]): HttpAnswer {
    if (answer.status >= 300) throw new VendorError('REJECTED', `Cybereason answered ${answer.status}: ${cybereasonMessage(answer)}`, answer.status, [...log]);
    return answer;
  }
}
