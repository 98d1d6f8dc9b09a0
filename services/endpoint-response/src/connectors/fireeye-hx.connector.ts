// FireEye (Trellix) Endpoint Security HX, REST API v3: `GET /hx/api/v3/token` with HTTP Basic ->
// 204 and the token in the `X-FeApi-Token` header, sent back in the same header (401 once it
// expired; it lasts 15 minutes idle). Hosts: `GET /hx/api/v3/hosts?search=&offset=&limit=` and
// `GET /hx/api/v3/hosts/{agent_id}` -> {data: {...}} with `containment_state`. Containment:
// `POST /hx/api/v3/hosts/{agent_id}/containment` (request), `PATCH` same path {"state":"contain"}
// (approve), `DELETE` (release), `GET` (state). Alerts: `GET /hx/api/v3/alerts?min_id=&sort=_id+ascending`.
// Errors: {"details":[{"code","message"}],"route","message"}.
import { ConnectorRuntime, VendorSession } from './connector-runtime';
import { DetectionPage, EdrConnector, EdrConnectorOptions, EdrCredentials, PulledDetection, VendorActionResult, VendorExchange, VendorHost } from './edr-connector';
import { HttpAnswer, VendorAuth, VendorHttp } from './vendor-http';
import { VendorError } from './vendor-error';

const PAGE = 100;
const TOKEN_MS = 14 * 60_000;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

export function fireEyeMessage(answer: HttpAnswer): string {
  const b = obj(answer.json);
  const details = Array.isArray(b.details) ? b.details.map((d) => str(obj(d).message)).filter(Boolean) : [];
  return [str(b.message), ...details].filter(Boolean).join(': ') || (answer.text ? answer.text.slice(0, 200) : `HTTP ${answer.status}`);
}

const HX_AUTH: VendorAuth = {
  async login(http, log): Promise<VendorSession> {
    const t = http.target;
    const basic = Buffer.from(`${t.clientId}:${t.secret}`).toString('base64');
    const answer = await http.exchange({ method: 'GET', path: '/hx/api/v3/token', headers: { authorization: `Basic ${basic}` } }, null, log);
    const raw = answer.headers['x-feapi-token'];
    const token = Array.isArray(raw) ? raw[0] : raw;
    if (answer.status >= 300 || !token) throw new VendorError('AUTH', `FireEye HX refused the credentials: ${fireEyeMessage(answer)}`, answer.status, [...log]);
    return { headers: { 'x-feapi-token': token }, token, expiresAt: Date.now() + TOKEN_MS };
  },
  expired: (answer) => answer.status === 401,
  message: fireEyeMessage,
};

// HX containment states (and the host's containment_state field) in Kanshi's words.
const STATE: Record<string, VendorHost['containment']> = {
  normal: 'NORMAL',
  contain: 'PENDING',
  containing: 'PENDING',
  contain_fail: 'NORMAL',
  contained: 'CONTAINED',
  uncontain: 'RELEASE_PENDING',
  uncontaining: 'RELEASE_PENDING',
};

export class FireEyeHxConnector implements EdrConnector {
  readonly product = 'FIREEYE_HX' as const;
  private readonly http: VendorHttp;

  constructor(runtime: ConnectorRuntime, customerId: string, creds: EdrCredentials, opts: EdrConnectorOptions = {}) {
    this.http = new VendorHttp(runtime, { product: this.product, label: 'FireEye HX', customerId, baseUrl: creds.baseUrl, clientId: creds.clientId, secret: creds.secret }, HX_AUTH, opts.onExchange);
  }

  async verify(): Promise<void> {
    const log: VendorExchange[] = [];
    this.ok(await this.http.call({ method: 'GET', path: '/hx/api/v3/hosts', query: { limit: 1 } }, log), log);
  }

  async findHost(query: { agentId?: string | null; hostName?: string | null }): Promise<VendorHost | null> {
    const log: VendorExchange[] = [];
    if (query.agentId) {
      const answer = await this.http.call({ method: 'GET', path: `/hx/api/v3/hosts/${encodeURIComponent(query.agentId)}` }, log);
      if (answer.status === 404) return null;
      const host = hostOf(obj(this.ok(answer, log).json).data);
      // The host record's containment_state lags; the containment resource is authoritative.
      const state = await this.http.call({ method: 'GET', path: `/hx/api/v3/hosts/${encodeURIComponent(query.agentId)}/containment` }, log);
      if (state.status < 300) host.containment = STATE[str(obj(obj(state.json).data).state) ?? ''] ?? host.containment;
      return host;
    }
    if (query.hostName) {
      const answer = this.ok(await this.http.call({ method: 'GET', path: '/hx/api/v3/hosts', query: { search: query.hostName, limit: 50 } }, log), log);
      const entries = (obj(obj(answer.json).data).entries as unknown[] | undefined) ?? [];
      const match = entries.map(hostOf).find((h) => h.hostName.toLowerCase() === query.hostName!.toLowerCase());
      return match ?? null;
    }
    return null;
  }

  async listHosts(): Promise<VendorHost[]> {
    const log: VendorExchange[] = [];
    const out: VendorHost[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const answer = this.ok(await this.http.call({ method: 'GET', path: '/hx/api/v3/hosts', query: { offset, limit: PAGE } }, log), log);
      const data = obj(obj(answer.json).data);
      const entries = (data.entries as unknown[] | undefined) ?? [];
      out.push(...entries.map(hostOf));
      if (entries.length < PAGE || offset + entries.length >= Number(data.total ?? 0)) return out;
    }
  }

  async contain(agentId: string): Promise<VendorActionResult> {
    const log: VendorExchange[] = [];
    const path = `/hx/api/v3/hosts/${encodeURIComponent(agentId)}/containment`;
    const requested = await this.http.call({ method: 'POST', path }, log);
    const refused = this.refusal(requested, agentId, log);
    if (refused) return refused;
    // Containment needs an approval; the SOC's account approves its own request.
    const approved = await this.http.call({ method: 'PATCH', path, json: { state: 'contain' } }, log);
    return this.refusal(approved, agentId, log) ?? { accepted: true, message: null, exchanges: log };
  }

  async release(agentId: string): Promise<VendorActionResult> {
    const log: VendorExchange[] = [];
    const answer = await this.http.call({ method: 'DELETE', path: `/hx/api/v3/hosts/${encodeURIComponent(agentId)}/containment` }, log);
    return this.refusal(answer, agentId, log) ?? { accepted: true, message: null, exchanges: log };
  }

  async pullDetections(cursor: string | null): Promise<DetectionPage> {
    const log: VendorExchange[] = [];
    const detections: PulledDetection[] = [];
    let last = cursor && /^\d+$/.test(cursor) ? Number(cursor) : 0;
    for (;;) {
      const answer = this.ok(await this.http.call({ method: 'GET', path: '/hx/api/v3/alerts', query: { min_id: last + 1, sort: '_id+ascending', limit: PAGE } }, log), log);
      const entries = (obj(obj(answer.json).data).entries as unknown[] | undefined) ?? [];
      for (const raw of entries) {
        const alert = obj(raw);
        const id = Number(alert._id);
        if (!Number.isFinite(id) || id <= last) continue;
        detections.push({ externalId: String(id), record: alert });
        last = id;
      }
      if (entries.length < PAGE) break;
    }
    return { detections, nextCursor: detections.length ? String(last) : null };
  }

  private refusal(answer: HttpAnswer, agentId: string, log: VendorExchange[]): VendorActionResult | null {
    if (answer.status === 404) throw new VendorError('NOT_FOUND', `host ${agentId} not found in FireEye HX: ${fireEyeMessage(answer)}`, 404, log);
    if (answer.status >= 400) return { accepted: false, message: fireEyeMessage(answer), exchanges: log };
    return null;
  }

  private ok(answer: HttpAnswer, log: VendorExchange[]): HttpAnswer {
    if (answer.status >= 400) throw new VendorError('REJECTED', `FireEye HX answered ${answer.status}: ${fireEyeMessage(answer)}`, answer.status, [...log]);
    return answer;
  }
}

function hostOf(raw: unknown): VendorHost {
  const h = obj(raw);
  const os = obj(h.os);
  return {
    agentId: str(h._id) ?? '',
    hostName: str(h.hostname) ?? '',
    ips: [str(h.primary_ip_address)].filter((x): x is string => !!x),
    os: str(os.product_name) ?? str(os.platform),
    lastSeenAt: str(h.last_poll_timestamp),
    containment: STATE[str(h.containment_state) ?? 'normal'] ?? 'NORMAL',
  };
}
