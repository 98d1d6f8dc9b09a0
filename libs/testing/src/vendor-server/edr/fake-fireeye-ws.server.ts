// A local FireEye NX / CM Web Services API v2.0.0 on the vendor-server kit, for pulling alerts
// from appliances: `POST /wsapis/v2.0.0/auth/login` with HTTP Basic -> 200 and the token in the
// `X-FeApi-Token` response header (sent back in the same header; 401 once expired),
// `POST /wsapis/v2.0.0/auth/logout`, and `GET /wsapis/v2.0.0/alerts?start_time=<ISO 8601>&
// duration=<N>_hours&info_level=concise|normal|extended` -> {"alert":[...],"alertsCount":N} in the
// notification's shape. Errors: {"fireeyeapis":{"@version","description","httpStatus","message"}}.
// Tenants are appliances (one credential each); hosts are unused.
import { randomBytes } from 'node:crypto';
import { VendorRequest, VendorResponse, VendorResponseError } from '../vendor.server';
import { FakeEdrServer } from './fake-edr.server';
import { FakeEdrOptions, FakeEdrTenant } from './fake-edr-state';

export interface FakeWsAlertInput {
  name?: string;
  occurred?: Date;
  severity?: 'minr' | 'majr' | 'crit';
  action?: 'notified' | 'blocked';
  srcIp?: string;
  srcHost?: string;
  dstIp?: string;
  malwareName?: string;
}

type Obj = Record<string, unknown>;

export class FakeFireEyeWsServer extends FakeEdrServer {
  private nextAlertId = 52_000;

  constructor(options: FakeEdrOptions = {}) {
    super('FakeFireEyeWs', options, () => randomBytes(8).toString('hex'));
    this.server.post('/wsapis/v2.0.0/auth/login', (req) => this.state.answer(() => this.login(req)));
    this.server.post('/wsapis/v2.0.0/auth/logout', (req) => this.state.answer(() => this.logout(req)));
    this.server.get('/wsapis/v2.0.0/alerts', (req) => this.state.answer(() => this.alerts(req)));
  }

  // An alert on the appliance of `tenantId`, in the extended notification's shape.
  addAlert(tenantId: string, input: FakeWsAlertInput = {}): Obj {
    const tenant = this.state.tenant(tenantId);
    const id = String(this.nextAlertId++);
    const alert: Obj = {
      id,
      name: input.name ?? 'malware-callback',
      occurred: (input.occurred ?? new Date(this.state.now())).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      product: 'Web MPS',
      severity: input.severity ?? 'majr',
      action: input.action ?? 'notified',
      'alert-url': `https://nx.${tenant.id}.example/event_stream/events_for_bot?ma_id=${id}`,
      src: { ip: input.srcIp ?? '10.60.13.48', host: input.srcHost ?? 'pc-ops-027.corp.example', mac: '00:50:56:3a:9c:48', vlan: '0' },
      dst: { ip: input.dstIp ?? '192.0.2.66', port: '8443', mac: '00:00:5e:00:01:02' },
      explanation: {
        analysis: 'content',
        'malware-detected': { malware: { name: input.malwareName ?? 'Trojan.QakBot', stype: 'bot-command' } },
        'cnc-services': { 'cnc-service': [{ address: input.dstIp ?? '192.0.2.66', port: '8443', protocol: 'tcp' }] },
      },
      interface: { mode: 'tap', label: 'A', interface: 'pether2' },
    };
    tenant.alerts.push(alert);
    return alert;
  }

  protected errorBody(status: number, message: string): unknown {
    return { fireeyeapis: { '@version': 'v2.0.0', description: message, httpStatus: status, message: status === 401 ? 'Unauthorized' : message } };
  }

  protected rateKey(req: VendorRequest): string | undefined {
    if (req.path === '/wsapis/v2.0.0/auth/login' && req.authorization && 'user' in req.authorization) return req.authorization.user;
    const t = this.state.tokenTenant(req.headers['x-feapi-token']);
    return t && t !== 'expired' ? t.clientId : undefined;
  }

  private tenantOf(req: VendorRequest): FakeEdrTenant {
    const t = this.state.tokenTenant(req.headers['x-feapi-token']);
    if (!t || t === 'expired') throw new VendorResponseError(this.error(401, 'Invalid or expired token'));
    return t;
  }

  private login(req: VendorRequest): VendorResponse {
    const auth = req.authorization;
    const tenant = auth && 'user' in auth ? this.state.tenantByClient(auth.user) : undefined;
    if (!tenant || !auth || !('password' in auth) || auth.password !== tenant.secret) return this.error(401, 'Authentication failed: invalid user name or password');
    const { token } = this.state.issueToken(tenant);
    return { status: 200, headers: { 'X-FeApi-Token': token } };
  }

  private logout(req: VendorRequest): VendorResponse {
    this.tenantOf(req);
    this.state.revokeToken(req.headers['x-feapi-token']);
    return { status: 204 };
  }

  private alerts(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const q = req.query as Record<string, string>;
    const level = q.info_level ?? 'concise';
    if (!['concise', 'normal', 'extended'].includes(level)) return this.error(400, `invalid info_level ${level}`);
    let alerts = [...tenant.alerts];
    if (q.start_time !== undefined) {
      const start = Date.parse(q.start_time);
      if (Number.isNaN(start)) return this.error(400, `invalid start_time ${q.start_time}`);
      const m = /^(\d+)_hours$/.exec(q.duration ?? '');
      if (!m) return this.error(400, 'duration (N_hours) is required with start_time');
      const end = start + Number(m[1]) * 3600_000;
      alerts = alerts.filter((a) => {
        const t = Date.parse(String(a.occurred));
        return t >= start && t < end;
      });
    }
    const shaped = alerts.map((a) => (level === 'concise' ? { id: a.id, name: a.name, occurred: a.occurred, severity: a.severity, action: a.action, product: a.product, src: a.src, dst: a.dst } : a));
    return { json: { msg: level, product: 'Web MPS', version: '9.1.0.950877', appliance: `nx.${tenant.id}.example`, alert: shaped, alertsCount: shaped.length } };
  }
}
