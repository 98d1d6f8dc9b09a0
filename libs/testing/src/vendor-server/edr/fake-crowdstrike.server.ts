// A local CrowdStrike Falcon API on the vendor-server kit: OAuth2 client credentials
// (`POST /oauth2/token`, form client_id/client_secret -> 201 {access_token, token_type, expires_in}),
// Hosts (`GET /devices/queries/devices/v1` with an FQL `hostname:'NAME'` filter and offset/limit,
// `GET /devices/entities/devices/v2?ids=`, `POST /devices/entities/devices-actions/v2?action_name=
// contain|lift_containment` {"ids":[...]}) and Alerts (`GET /alerts/queries/alerts/v2?filter=
// updated_timestamp:>'ISO'`, `POST /alerts/entities/alerts/v2` {"composite_ids":[...]}). Answers
// carry {meta, resources, errors}; errors are `{"errors":[{"code","message"}],"resources":[]}`;
// 429 comes with X-RateLimit-Limit / -Remaining / -RetryAfter (epoch seconds).
import { randomBytes, randomUUID } from 'node:crypto';
import { VendorRequest, VendorResponse, VendorResponseError } from '../vendor.server';
import { FakeEdrServer } from './fake-edr.server';
import { FakeContainment, FakeEdrHost, FakeEdrOptions, FakeEdrTenant } from './fake-edr-state';

const STATUS: Record<FakeContainment, string> = { normal: 'normal', containing: 'containment_pending', contained: 'contained', releasing: 'lift_containment_pending' };

export interface FakeFalconAlertInput {
  name?: string;
  description?: string;
  severity?: number;
  severityName?: string;
  updatedAt?: Date;
  fileName?: string;
  filePath?: string;
  cmdline?: string;
  sha256?: string;
  tactic?: string;
  technique?: string;
  techniqueId?: string;
}

type Q = Record<string, string | string[]>;

export class FakeCrowdStrikeServer extends FakeEdrServer {
  constructor(options: FakeEdrOptions = {}) {
    super('FakeCrowdStrike', options, () => randomBytes(16).toString('hex'));
    this.server.post('/oauth2/token', (req) => this.state.answer(() => this.token(req)));
    this.server.get('/devices/queries/devices/v1', (req) => this.state.answer(() => this.queryDevices(req)));
    this.server.get('/devices/entities/devices/v2', (req) => this.state.answer(() => this.deviceDetails(req)));
    this.server.post('/devices/entities/devices-actions/v2', (req) => this.state.answer(() => this.deviceAction(req)));
    this.server.get('/alerts/queries/alerts/v2', (req) => this.state.answer(() => this.queryAlerts(req)));
    this.server.post('/alerts/entities/alerts/v2', (req) => this.state.answer(() => this.alertDetails(req)));
    this.server.post('/oauth2/revoke', (req) => this.state.answer(() => this.revoke(req)));
  }

  // An alert on a host, as the Alerts API returns it; its composite id.
  addAlert(tenantId: string, agentId: string, input: FakeFalconAlertInput = {}): Record<string, unknown> {
    const tenant = this.state.tenant(tenantId);
    const host = tenant.hosts.get(agentId);
    if (!host) throw new Error(`no host ${agentId} in tenant ${tenantId}`);
    const at = (input.updatedAt ?? new Date(this.state.now())).toISOString();
    const compositeId = `${tenant.id}:ind:${agentId}:${randomBytes(6).toString('hex')}-${tenant.alerts.length + 1}`;
    const alert: Record<string, unknown> = {
      composite_id: compositeId,
      id: `ind:${agentId}:${tenant.alerts.length + 1}`,
      cid: tenant.id,
      agent_id: agentId,
      aggregate_id: `aggind:${agentId}:${tenant.alerts.length + 1}`,
      type: 'ldt',
      product: 'epp',
      platform: 'Windows',
      status: 'new',
      name: input.name ?? 'CredentialDumping',
      display_name: input.name ?? 'CredentialDumping',
      description: input.description ?? 'A process accessed LSASS memory in a way that resembles credential dumping.',
      severity: input.severity ?? 70,
      severity_name: input.severityName ?? 'High',
      tactic: input.tactic ?? 'Credential Access',
      tactic_id: 'TA0006',
      technique: input.technique ?? 'OS Credential Dumping',
      technique_id: input.techniqueId ?? 'T1003',
      objective: 'Gain Access',
      filename: input.fileName ?? 'procdump64.exe',
      filepath: input.filePath ?? '\\Device\\HarddiskVolume3\\Users\\Public\\procdump64.exe',
      cmdline: input.cmdline ?? 'procdump64.exe -ma lsass.exe out.dmp',
      sha256: input.sha256 ?? randomBytes(32).toString('hex'),
      md5: randomBytes(16).toString('hex'),
      user_name: 'tanaka',
      logon_domain: 'CORP',
      pattern_id: 10245,
      pattern_disposition: 0,
      pattern_disposition_description: 'Detection, standard detection.',
      device: { device_id: agentId, hostname: host.hostName, local_ip: host.ips[0], platform_name: 'Windows', os_version: host.os, external_ip: '203.0.113.10' },
      falcon_host_link: `https://falcon.crowdstrike.com/activity-v2/detections/${compositeId}`,
      timestamp: at,
      created_timestamp: at,
      updated_timestamp: at,
    };
    tenant.alerts.push(alert);
    return alert;
  }

  protected errorBody(status: number, message: string): unknown {
    return { meta: this.meta(), errors: [{ code: status, message }], resources: [] };
  }

  protected rateKey(req: VendorRequest): string | undefined {
    if (req.path === '/oauth2/token') {
      const form = (req.body ?? {}) as Record<string, unknown>;
      return typeof form.client_id === 'string' ? form.client_id : undefined;
    }
    const t = this.state.tokenTenant(this.bearer(req));
    return t && t !== 'expired' ? t.clientId : undefined;
  }

  protected override rateLimitHeaders(retryAfterSeconds: number): Record<string, string> {
    return { 'X-RateLimit-Limit': String(this.state.options.rateLimit?.requests ?? 6000), 'X-RateLimit-Remaining': '0', 'X-RateLimit-RetryAfter': String(Math.ceil(this.state.now() / 1000) + retryAfterSeconds) };
  }

  // ----- protocol -----

  private meta(): Record<string, unknown> {
    return { query_time: 0.004, powered_by: 'kanshi-fake', trace_id: randomUUID() };
  }

  private ok(resources: unknown[], status = 200, pagination?: { offset: number; limit: number; total: number }): VendorResponse {
    return { status, json: { meta: { ...this.meta(), ...(pagination ? { pagination } : {}) }, resources, errors: [] } };
  }

  private bearer(req: VendorRequest): string | undefined {
    return req.authorization?.scheme === 'Bearer' && 'token' in req.authorization ? req.authorization.token : undefined;
  }

  private tenantOf(req: VendorRequest): FakeEdrTenant {
    const token = this.bearer(req);
    if (!token) throw new VendorResponseError(this.error(401, 'access denied, authorization failed'));
    const t = this.state.tokenTenant(token);
    if (!t || t === 'expired') throw new VendorResponseError(this.error(401, 'access denied, invalid bearer token'));
    return t;
  }

  private token(req: VendorRequest): VendorResponse {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const tenant = typeof form.client_id === 'string' ? this.state.tenantByClient(form.client_id) : undefined;
    if (!tenant || form.client_secret !== tenant.secret) return this.error(403, 'Failed to issue access token - Not Authorized');
    const { token, ttlSeconds } = this.state.issueToken(tenant);
    return { status: 201, json: { access_token: token, token_type: 'bearer', expires_in: ttlSeconds } };
  }

  private revoke(req: VendorRequest): VendorResponse {
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (typeof form.token === 'string') this.state.revokeToken(form.token);
    return this.ok([]);
  }

  private queryDevices(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const q = req.query as Q;
    const filter = typeof q.filter === 'string' ? q.filter : undefined;
    let hosts = [...tenant.hosts.values()];
    if (filter) {
      const m = /^hostname:\s*\[?'((?:[^'\\]|\\.)*)'\]?$/.exec(filter.trim());
      if (!m) return this.error(400, `Invalid filter: ${filter}`);
      const wanted = m[1].replace(/\\'/g, "'").toLowerCase();
      hosts = hosts.filter((h) => h.hostName.toLowerCase() === wanted);
    }
    const { offset, limit } = this.paging(q, 100, 5000);
    return this.ok(
      hosts.slice(offset, offset + limit).map((h) => h.agentId),
      200,
      { offset, limit, total: hosts.length },
    );
  }

  private deviceDetails(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const raw = (req.query as Q).ids;
    const ids = Array.isArray(raw) ? raw : raw ? [raw] : [];
    if (!ids.length) return this.error(400, 'ids is required');
    const found = ids.map((id) => tenant.hosts.get(id)).filter((h): h is FakeEdrHost => !!h);
    if (!found.length) return { status: 404, json: { meta: this.meta(), resources: [], errors: [{ code: 404, message: 'Device not found.' }] } };
    return this.ok(found.map((h) => this.device(h)));
  }

  private deviceAction(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const action = (req.query as Q).action_name;
    if (action !== 'contain' && action !== 'lift_containment') return this.error(400, `Invalid action_name: ${String(action)}`);
    const ids = ((req.body ?? {}) as { ids?: unknown }).ids;
    if (!Array.isArray(ids) || !ids.length) return this.error(400, 'ids is required');
    const hosts = ids.map((id) => tenant.hosts.get(String(id)));
    const missing = ids.filter((_, i) => !hosts[i]);
    if (missing.length) return { status: 404, json: { meta: this.meta(), resources: [], errors: missing.map((id) => ({ code: 404, message: `Device not found: ${String(id)}` })) } };
    for (const h of hosts as FakeEdrHost[]) {
      if (action === 'contain') this.state.contain(h);
      else this.state.release(h);
    }
    return this.ok(
      (hosts as FakeEdrHost[]).map((h) => ({ id: h.agentId, path: '' })),
      202,
    );
  }

  private queryAlerts(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const q = req.query as Q;
    let alerts = [...tenant.alerts];
    const filter = typeof q.filter === 'string' ? q.filter.trim() : undefined;
    if (filter) {
      const m = /^updated_timestamp:(>=?)'([^']+)'$/.exec(filter);
      if (!m) return this.error(400, `Invalid filter: ${filter}`);
      const since = Date.parse(m[2]);
      if (Number.isNaN(since)) return this.error(400, `Invalid timestamp: ${m[2]}`);
      alerts = alerts.filter((a) => (m[1] === '>=' ? Date.parse(String(a.updated_timestamp)) >= since : Date.parse(String(a.updated_timestamp)) > since));
    }
    alerts.sort((a, b) => String(a.updated_timestamp).localeCompare(String(b.updated_timestamp)));
    const { offset, limit } = this.paging(q, 100, 10_000);
    return this.ok(
      alerts.slice(offset, offset + limit).map((a) => a.composite_id),
      200,
      { offset, limit, total: alerts.length },
    );
  }

  private alertDetails(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const ids = ((req.body ?? {}) as { composite_ids?: unknown }).composite_ids;
    if (!Array.isArray(ids) || !ids.length) return this.error(400, 'composite_ids is required');
    return this.ok(tenant.alerts.filter((a) => ids.includes(a.composite_id)));
  }

  private paging(q: Q, defLimit: number, maxLimit: number): { offset: number; limit: number } {
    const offset = Number(q.offset ?? 0);
    const limit = Number(q.limit ?? defLimit);
    if (!Number.isInteger(offset) || offset < 0) throw new VendorResponseError(this.error(400, `Invalid offset: ${String(q.offset)}`));
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new VendorResponseError(this.error(400, `Invalid limit: ${String(q.limit)}`));
    return { offset, limit };
  }

  private device(h: FakeEdrHost): Record<string, unknown> {
    return {
      device_id: h.agentId,
      cid: h.tenant,
      hostname: h.hostName,
      local_ip: h.ips[0],
      external_ip: '203.0.113.10',
      platform_name: /windows/i.test(h.os) ? 'Windows' : /mac/i.test(h.os) ? 'Mac' : 'Linux',
      os_version: h.os,
      agent_version: '7.18.18004.0',
      first_seen: h.lastSeenAt.toISOString(),
      last_seen: h.lastSeenAt.toISOString(),
      status: STATUS[this.state.observe(h)],
    };
  }
}
