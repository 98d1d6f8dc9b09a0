// A local FireEye (Trellix) Endpoint Security HX API v3 on the vendor-server kit: `GET
// /hx/api/v3/token` with HTTP Basic -> 204 and the token in `X-FeApi-Token` (sent back in the same
// header; `DELETE /hx/api/v3/token` logs out), hosts (`GET /hx/api/v3/hosts?search=&offset=&limit=`,
// `GET /hx/api/v3/hosts/{agent_id}`), containment (`POST /hx/api/v3/hosts/{agent_id}/containment`
// requests it, `PATCH` same path {"state":"contain"} approves it, `DELETE` releases, `GET` reads
// the state: normal, containing, contained, uncontaining) and alerts (`GET /hx/api/v3/alerts?
// min_id=&limit=&offset=`). Answers are {data, message, details, route}; errors
// {"details":[{"type":"error","code","message"}],"route","message"}.
import { randomBytes } from 'node:crypto';
import { VendorRequest, VendorResponse, VendorResponseError } from '../vendor.server';
import { FakeEdrServer } from './fake-edr.server';
import { FakeContainment, FakeEdrHost, FakeEdrOptions, FakeEdrTenant } from './fake-edr-state';

const STATE: Record<FakeContainment, string> = { normal: 'normal', containing: 'containing', contained: 'contained', releasing: 'uncontaining' };
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface FakeHxAlertInput {
  source?: 'MAL' | 'IOC' | 'EXD';
  malwareName?: string;
  filePath?: string;
  md5?: string;
  resolution?: string;
  reportedAt?: Date;
}

type Obj = Record<string, unknown>;

export class FakeFireEyeHxServer extends FakeEdrServer {
  private nextAlertId = 1000;
  // Containment requested (POST) and not yet approved, by agent id.
  private readonly requested = new Set<string>();

  constructor(options: FakeEdrOptions = {}) {
    super('FakeFireEyeHx', options, () => Array.from(randomBytes(22), (b) => B62[b % 62]).join(''));
    this.server.get('/hx/api/v3/token', (req) => this.state.answer(() => this.token(req)));
    this.server.route('DELETE', '/hx/api/v3/token', (req) => this.state.answer(() => this.logout(req)));
    this.server.get('/hx/api/v3/hosts', (req) => this.state.answer(() => this.hosts(req)));
    this.server.get('/hx/api/v3/hosts/:id', (req) => this.state.answer(() => this.host1(req)));
    this.server.post('/hx/api/v3/hosts/:id/containment', (req) => this.state.answer(() => this.requestContainment(req)));
    this.server.route('PATCH', '/hx/api/v3/hosts/:id/containment', (req) => this.state.answer(() => this.approve(req)));
    this.server.route('DELETE', '/hx/api/v3/hosts/:id/containment', (req) => this.state.answer(() => this.releaseHost(req)));
    this.server.get('/hx/api/v3/hosts/:id/containment', (req) => this.state.answer(() => this.containment(req)));
    this.server.get('/hx/api/v3/alerts', (req) => this.state.answer(() => this.alerts(req)));
  }

  addAlert(tenantId: string, agentId: string, input: FakeHxAlertInput = {}): Obj {
    const tenant = this.state.tenant(tenantId);
    const host = tenant.hosts.get(agentId);
    if (!host) throw new Error(`no host ${agentId} in tenant ${tenantId}`);
    const at = (input.reportedAt ?? new Date(this.state.now())).toISOString();
    const id = this.nextAlertId++;
    const alert: Obj = {
      _id: id,
      agent: { _id: agentId, url: `/hx/api/v3/hosts/${agentId}`, containment_state: STATE[host.state] },
      condition: null,
      event_at: at,
      matched_at: at,
      reported_at: at,
      source: input.source ?? 'MAL',
      matched_source_alerts: [],
      resolution: input.resolution ?? 'QUARANTINED',
      event_id: null,
      event_type: null,
      event_values: {
        detections: {
          detection: [
            {
              engine: { engine_type: 'av', engine_version: '32.36.0' },
              infected_object: { object_type: 'file', file_object: { file_path: input.filePath ?? 'C:\\Users\\tanaka\\AppData\\Roaming\\upd.dll', md5sum: input.md5 ?? randomBytes(16).toString('hex') } },
              infection: { infection_name: input.malwareName ?? 'Gen:Variant.Razy.123456', confidence_level: 'high' },
              action: { actioned_object: { file_object: { file_path: input.filePath ?? 'C:\\Users\\tanaka\\AppData\\Roaming\\upd.dll' } }, result: 'success' },
            },
          ],
        },
        system_data: { hostname: host.hostName, ip: host.ips[0] },
      },
      indicator: null,
      is_false_positive: false,
      url: `/hx/api/v3/alerts/${id}`,
    };
    tenant.alerts.push(alert);
    return alert;
  }

  protected errorBody(status: number, message: string): unknown {
    return { details: [{ type: 'error', code: status === 401 ? 1005 : status, message }], route: '/hx/api/v3', message: status === 401 ? 'Unauthorized' : message };
  }

  protected rateKey(req: VendorRequest): string | undefined {
    if (req.path === '/hx/api/v3/token' && req.authorization && 'user' in req.authorization) return req.authorization.user;
    const t = this.state.tokenTenant(req.headers['x-feapi-token']);
    return t && t !== 'expired' ? t.clientId : undefined;
  }

  private ok(data: unknown, status = 200, route = '/hx/api/v3'): VendorResponse {
    return { status, json: { data, message: 'OK', details: [], route } };
  }

  private tenantOf(req: VendorRequest): FakeEdrTenant {
    const t = this.state.tokenTenant(req.headers['x-feapi-token']);
    if (!t || t === 'expired') throw new VendorResponseError(this.error(401, 'The token is invalid or has expired'));
    return t;
  }

  private hostOf(req: VendorRequest): FakeEdrHost {
    const host = this.tenantOf(req).hosts.get(req.params.id);
    if (!host) throw new VendorResponseError(this.error(404, `Host ${req.params.id} not found`));
    return host;
  }

  private token(req: VendorRequest): VendorResponse {
    const auth = req.authorization;
    const tenant = auth && 'user' in auth ? this.state.tenantByClient(auth.user) : undefined;
    if (!tenant || !auth || !('password' in auth) || auth.password !== tenant.secret) return this.error(401, 'Invalid user name or password');
    const { token } = this.state.issueToken(tenant);
    return { status: 204, headers: { 'X-FeApi-Token': token } };
  }

  private logout(req: VendorRequest): VendorResponse {
    const token = req.headers['x-feapi-token'];
    if (token) this.state.revokeToken(token);
    return { status: 204 };
  }

  private hosts(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const q = req.query as Record<string, string>;
    let hosts = [...tenant.hosts.values()].sort((a, b) => a.hostName.localeCompare(b.hostName));
    if (q.search) hosts = hosts.filter((h) => h.hostName.toLowerCase().includes(q.search.toLowerCase()) || h.ips.includes(q.search));
    const offset = Number(q.offset ?? 0);
    const limit = Number(q.limit ?? 50);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 10_000) return this.error(400, 'invalid offset or limit');
    return this.ok({ total: hosts.length, query: {}, sort: {}, offset, limit, entries: hosts.slice(offset, offset + limit).map((h) => this.hostJson(h)) }, 200, '/hx/api/v3/hosts');
  }

  private host1(req: VendorRequest): VendorResponse {
    return this.ok(this.hostJson(this.hostOf(req)), 200, '/hx/api/v3/hosts/{agent_id}');
  }

  private requestContainment(req: VendorRequest): VendorResponse {
    const host = this.hostOf(req);
    this.requested.add(host.agentId);
    return this.ok({ _id: host.agentId, state: STATE[host.state], requested_on: new Date(this.state.now()).toISOString(), queued: true }, 202, '/hx/api/v3/hosts/{agent_id}/containment');
  }

  private approve(req: VendorRequest): VendorResponse {
    const host = this.hostOf(req);
    if (((req.body ?? {}) as Obj).state !== 'contain') return this.error(400, 'state must be "contain"');
    if (!this.requested.has(host.agentId) && host.state !== 'contained' && host.state !== 'containing') return this.error(409, `No containment request for host ${host.agentId}`);
    this.requested.delete(host.agentId);
    this.state.contain(host);
    return this.ok({ _id: host.agentId, state: STATE[host.state] }, 201, '/hx/api/v3/hosts/{agent_id}/containment');
  }

  private releaseHost(req: VendorRequest): VendorResponse {
    const host = this.hostOf(req);
    this.requested.delete(host.agentId);
    this.state.release(host);
    return { status: 204 };
  }

  private containment(req: VendorRequest): VendorResponse {
    const host = this.hostOf(req);
    const state = this.state.observe(host);
    return this.ok({ _id: host.agentId, state: STATE[state], queued: this.requested.has(host.agentId), last_sysinfo: host.lastSeenAt.toISOString() }, 200, '/hx/api/v3/hosts/{agent_id}/containment');
  }

  private alerts(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const q = req.query as Record<string, string>;
    const minId = Number(q.min_id ?? 0);
    const offset = Number(q.offset ?? 0);
    const limit = Number(q.limit ?? 50);
    if (!Number.isFinite(minId) || !Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 10_000) return this.error(400, 'invalid min_id, offset or limit');
    const alerts = tenant.alerts.filter((a) => Number(a._id) >= minId).sort((a, b) => Number(a._id) - Number(b._id));
    return this.ok({ total: alerts.length, query: {}, sort: { _id: 'ascending' }, offset, limit, entries: alerts.slice(offset, offset + limit) }, 200, '/hx/api/v3/alerts');
  }

  private hostJson(h: FakeEdrHost): Obj {
    return {
      _id: h.agentId,
      agent_version: '35.31.0',
      hostname: h.hostName,
      domain: 'CORP',
      primary_ip_address: h.ips[0],
      os: { product_name: h.os, platform: /windows/i.test(h.os) ? 'win' : /mac/i.test(h.os) ? 'mac' : 'linux' },
      last_poll_timestamp: h.lastSeenAt.toISOString(),
      containment_state: STATE[h.state],
      containment_queued: this.requested.has(h.agentId),
      url: `/hx/api/v3/hosts/${h.agentId}`,
    };
  }
}
