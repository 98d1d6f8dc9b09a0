// A local VMware Carbon Black Cloud API on the vendor-server kit: `X-Auth-Token: <secret>/<id>`
// (401 with {"success":false,"message":...} when wrong or missing; API keys do not expire, but
// `expireTokens()` revokes every key so far, as deleting the API key in the console would), device
// search (`POST /appservices/v6/orgs/{org_key}/devices/_search` {criteria: {id: [...]}, query:
// 'name:"HOST"', start, rows} -> {results, num_found}), quarantine (`POST
// /appservices/v6/orgs/{org_key}/device_actions` {"action_type":"QUARANTINE","device_id":[...],
// "options":{"toggle":"ON"|"OFF"}} -> 204) and alerts v7 (`POST /api/alerts/v7/orgs/{org_key}/alerts/_search`
// with criteria.backend_update_timestamp {start, end}, start (1-based) / rows). Errors:
// {"error_code","message"}; a wrong org key for the key is 403.
import { randomBytes, randomUUID } from 'node:crypto';
import { VendorRequest, VendorResponse, VendorResponseError } from '../vendor.server';
import { FakeEdrServer } from './fake-edr.server';
import { FakeEdrHost, FakeEdrOptions, FakeEdrTenant } from './fake-edr-state';

export interface FakeCbAlertInput {
  reason?: string;
  severity?: number;
  updatedAt?: Date;
  processName?: string;
  sha256?: string;
}

type Obj = Record<string, unknown>;

export class FakeCarbonBlackServer extends FakeEdrServer {
  private nextDeviceId = 8_800_000 + Math.floor(Math.random() * 100_000);
  private readonly revoked = new Set<string>();

  constructor(options: FakeEdrOptions = {}) {
    super('FakeCarbonBlack', options, () => String(this.nextDeviceId++));
    this.server.post('/appservices/v6/orgs/:org/devices/_search', (req) => this.state.answer(() => this.search(req)));
    this.server.post('/appservices/v6/orgs/:org/device_actions', (req) => this.state.answer(() => this.deviceActions(req)));
    this.server.post('/api/alerts/v7/orgs/:org/alerts/_search', (req) => this.state.answer(() => this.alerts(req)));
  }

  // The X-Auth-Token value of a tenant.
  static authToken(tenant: FakeEdrTenant): string {
    return `${tenant.secret}/${tenant.clientId}`;
  }

  // Revokes every API key issued so far (the console's "delete API key").
  override expireTokens(): void {
    for (const t of this.state.tenants.values()) this.revoked.add(t.clientId);
  }

  addAlert(tenantId: string, deviceId: string, input: FakeCbAlertInput = {}): Obj {
    const tenant = this.state.tenant(tenantId);
    const host = tenant.hosts.get(deviceId);
    if (!host) throw new Error(`no device ${deviceId} in tenant ${tenantId}`);
    const at = (input.updatedAt ?? new Date(this.state.now())).toISOString();
    const id = randomUUID();
    const alert: Obj = {
      org_key: tenant.orgKey,
      alert_url: `https://defense.conferdeploy.net/alerts?s[c][query_string]=id:${id}&orgKey=${tenant.orgKey}`,
      id,
      type: 'CB_ANALYTICS',
      backend_timestamp: at,
      user_update_timestamp: null,
      backend_update_timestamp: at,
      detection_timestamp: at,
      first_event_timestamp: at,
      last_event_timestamp: at,
      severity: input.severity ?? 8,
      reason: input.reason ?? 'A known virus (Ransom: Akira) was detected running.',
      reason_code: 'R_KNOWN_MALWARE',
      threat_id: randomBytes(16).toString('hex').toUpperCase(),
      policy_applied: 'APPLIED',
      run_state: 'RAN',
      sensor_action: 'TERMINATE',
      workflow: { change_timestamp: at, changed_by_type: 'SYSTEM', changed_by: 'ALERT_CREATION', closure_reason: 'NO_REASON', status: 'OPEN' },
      device_id: Number(host.agentId),
      device_name: host.hostName,
      device_os: 'WINDOWS',
      device_os_version: host.os,
      device_username: 'CORP\\tanaka',
      device_internal_ip: host.ips[0],
      device_external_ip: '203.0.113.20',
      ttps: ['KNOWN_MALWARE'],
      process_name: input.processName ?? 'c:\\programdata\\backup_svc.exe',
      process_sha256: input.sha256 ?? randomBytes(32).toString('hex'),
      process_cmdline: 'backup_svc.exe --quiet',
      process_username: 'CORP\\tanaka',
    };
    tenant.alerts.push(alert);
    return alert;
  }

  protected errorBody(status: number, message: string): unknown {
    if (status === 401) return { success: false, message };
    return { error_code: status === 429 ? 'TOO_MANY_REQUESTS' : status >= 500 ? 'INTERNAL_ERROR' : status === 404 ? 'NOT_FOUND' : status === 403 ? 'FORBIDDEN' : 'INVALID_ARGUMENT', message };
  }

  protected rateKey(req: VendorRequest): string | undefined {
    return this.credential(req)?.clientId;
  }

  private credential(req: VendorRequest): FakeEdrTenant | undefined {
    const raw = req.headers['x-auth-token'] ?? '';
    const slash = raw.lastIndexOf('/');
    if (slash < 0) return undefined;
    const tenant = this.state.tenantByClient(raw.slice(slash + 1));
    return tenant && tenant.secret === raw.slice(0, slash) && !this.revoked.has(tenant.clientId) ? tenant : undefined;
  }

  private tenantOf(req: VendorRequest): FakeEdrTenant {
    const tenant = this.credential(req);
    if (!tenant) throw new VendorResponseError(this.error(401, req.headers['x-auth-token'] ? 'Authentication failed: invalid API key or API ID' : 'X-Auth-Token header is missing'));
    if (req.params.org !== tenant.orgKey) throw new VendorResponseError(this.error(403, `API key is not authorized for org ${req.params.org}`));
    return tenant;
  }

  private search(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const body = (req.body ?? {}) as Obj;
    let hosts = [...tenant.hosts.values()];
    const ids = (body.criteria as Obj | undefined)?.id;
    if (ids !== undefined) {
      if (!Array.isArray(ids)) return this.error(400, 'criteria.id must be an array');
      const wanted = ids.map(String);
      hosts = hosts.filter((h) => wanted.includes(h.agentId));
    }
    if (typeof body.query === 'string' && body.query !== '') {
      const m = /^name:"?((?:[^"\\]|\\.)*)"?$/.exec(body.query.trim());
      const term = (m ? m[1] : body.query).replace(/\\"/g, '"').toLowerCase();
      hosts = hosts.filter((h) => h.hostName.toLowerCase() === term || h.hostName.toLowerCase().endsWith(`\\${term}`));
    }
    const start = Number(body.start ?? 0);
    const rows = Number(body.rows ?? 20);
    if (!Number.isInteger(start) || start < 0) return this.error(400, `invalid start: ${String(body.start)}`);
    if (!Number.isInteger(rows) || rows < 1 || rows > 10_000) return this.error(400, `invalid rows: ${String(body.rows)}`);
    return { json: { results: hosts.slice(start, start + rows).map((h) => this.device(h)), num_found: hosts.length } };
  }

  private deviceActions(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const body = (req.body ?? {}) as Obj;
    if (body.action_type !== 'QUARANTINE') return this.error(400, `unsupported action_type: ${String(body.action_type)}`);
    const toggle = (body.options as Obj | undefined)?.toggle;
    if (toggle !== 'ON' && toggle !== 'OFF') return this.error(400, 'options.toggle must be ON or OFF');
    const ids = body.device_id;
    if (!Array.isArray(ids) || !ids.length) return this.error(400, 'device_id is required');
    const hosts = ids.map((id) => tenant.hosts.get(String(id)));
    const missing = ids.filter((_, i) => !hosts[i]);
    if (missing.length) return this.error(404, `device not found: ${missing.map(String).join(', ')}`);
    for (const h of hosts as FakeEdrHost[]) {
      if (toggle === 'ON') this.state.contain(h);
      else this.state.release(h);
    }
    return { status: 204 };
  }

  private alerts(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const body = (req.body ?? {}) as Obj;
    const range = ((body.criteria as Obj | undefined)?.backend_update_timestamp ?? undefined) as Obj | undefined;
    let alerts = [...tenant.alerts];
    if (range) {
      const start = Date.parse(String(range.start));
      const end = Date.parse(String(range.end));
      if (Number.isNaN(start) || Number.isNaN(end)) return this.error(400, 'criteria.backend_update_timestamp needs start and end');
      alerts = alerts.filter((a) => {
        const t = Date.parse(String(a.backend_update_timestamp));
        return t >= start && t <= end;
      });
    }
    alerts.sort((a, b) => String(a.backend_update_timestamp).localeCompare(String(b.backend_update_timestamp)));
    const start = Number(body.start ?? 1);
    const rows = Number(body.rows ?? 100);
    if (!Number.isInteger(start) || start < 1) return this.error(400, `invalid start: ${String(body.start)} (the first row is 1)`);
    if (!Number.isInteger(rows) || rows < 1 || rows > 10_000) return this.error(400, `invalid rows: ${String(body.rows)}`);
    return { json: { results: alerts.slice(start - 1, start - 1 + rows), num_found: alerts.length, num_available: alerts.length } };
  }

  private device(h: FakeEdrHost): Obj {
    const state = this.state.observe(h);
    return {
      id: Number(h.agentId),
      name: h.hostName,
      os: /windows/i.test(h.os) ? 'WINDOWS' : /mac/i.test(h.os) ? 'MAC' : 'LINUX',
      os_version: h.os,
      status: 'REGISTERED',
      last_internal_ip_address: h.ips[0],
      last_external_ip_address: '203.0.113.20',
      last_contact_time: h.lastSeenAt.toISOString(),
      // Quarantine shows once the sensor has checked in (pending actions keep the old value).
      quarantined: state === 'contained' || state === 'releasing',
      sensor_version: '4.0.1.1428',
    };
  }
}
