// A local Cybereason API on the vendor-server kit: form login (`POST /login.html` username,
// password -> 302 with a JSESSIONID cookie; a wrong password is redirected to
// /login.html?error without one), REST calls with that cookie (a missing or expired session is
// redirected to /login.html), machines (`POST /rest/sensors/query` {limit, offset, filters:
// [{fieldName, operator: "Equals", values}]} -> {sensors, totalResults}), isolation (`POST
// /rest/monitor/global/commands/isolate` and `/un-isolate` {"pylumIds":[...],"malopId"} -> a map
// pylumId -> "Succeeded" | "Failed") and Malops (`POST /rest/detection/inbox` {startTime,
// endTime} in epoch ms -> {malops: [MalopInboxModel], totalMalops}). Errors: {"status":"FAILURE","message"}.
import { randomBytes } from 'node:crypto';
import { VendorRequest, VendorResponse, VendorResponseError } from '../vendor.server';
import { FakeEdrServer } from './fake-edr.server';
import { FakeEdrHost, FakeEdrOptions, FakeEdrTenant } from './fake-edr-state';

export interface FakeMalopInput {
  displayName?: string;
  detectionType?: string;
  severity?: 'Low' | 'Medium' | 'High' | 'Critical';
  updatedAt?: Date;
}

type Obj = Record<string, unknown>;

export class FakeCybereasonServer extends FakeEdrServer {
  constructor(options: FakeEdrOptions = {}) {
    super('FakeCybereason', options, (hostName) => `PYLUMCLIENT_KANSHI_${hostName.toUpperCase().replace(/[^A-Z0-9]/g, '')}_${randomBytes(6).toString('hex').toUpperCase()}`);
    this.server.post('/login.html', (req) => this.state.answer(() => this.login(req)));
    this.server.get('/logout', (req) => this.state.answer(() => this.logout(req)));
    this.server.post('/rest/sensors/query', (req) => this.state.answer(() => this.sensors(req)));
    this.server.post('/rest/monitor/global/commands/isolate', (req) => this.state.answer(() => this.command(req, 'isolate')));
    this.server.post('/rest/monitor/global/commands/un-isolate', (req) => this.state.answer(() => this.command(req, 'un-isolate')));
    this.server.post('/rest/detection/inbox', (req) => this.state.answer(() => this.inbox(req)));
  }

  addMalop(tenantId: string, pylumId: string, input: FakeMalopInput = {}): Obj {
    const tenant = this.state.tenant(tenantId);
    const host = tenant.hosts.get(pylumId);
    if (!host) throw new Error(`no machine ${pylumId} in tenant ${tenantId}`);
    const at = (input.updatedAt ?? new Date(this.state.now())).getTime();
    const malop: Obj = {
      '@class': '.MalopInboxModel',
      guid: `11.${BigInt('0x' + randomBytes(7).toString('hex')).toString()}`,
      status: 'Active',
      displayName: input.displayName ?? 'invoice_2026.js',
      rootCauseElementType: 'File',
      rootCauseElementNamesCount: 1,
      detectionEngines: ['EDR'],
      detectionTypes: [input.detectionType ?? 'Malicious script execution'],
      malopDetectionType: 'MALICIOUS_SCRIPT',
      machines: [{ '@class': '.MachineInboxModel', guid: host.agentId, displayName: host.hostName, osType: 'WINDOWS', connected: true, isolated: host.state === 'contained', lastConnected: at }],
      users: [{ '@class': '.UserInboxModel', guid: `0.${randomBytes(6).readUIntBE(0, 6)}`, displayName: 'corp\\tanaka', admin: false, localSystem: false, domainUser: true }],
      creationTime: at,
      lastUpdateTime: at,
      iconBase64: null,
      priority: 'HIGH',
      labels: [],
      decisionStatuses: ['Detected'],
      severity: input.severity ?? 'High',
      malopCloseTime: null,
      closerName: null,
      edr: true,
      escalated: false,
    };
    tenant.alerts.push(malop);
    return malop;
  }

  protected errorBody(status: number, message: string): unknown {
    return { status: 'FAILURE', message, httpStatus: status };
  }

  protected rateKey(req: VendorRequest): string | undefined {
    if (req.path === '/login.html') {
      const form = (req.body ?? {}) as Obj;
      return typeof form.username === 'string' ? form.username : undefined;
    }
    const t = this.state.tokenTenant(this.cookie(req));
    return t && t !== 'expired' ? t.clientId : undefined;
  }

  private cookie(req: VendorRequest): string | undefined {
    return /(?:^|;\s*)JSESSIONID=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  }

  private tenantOf(req: VendorRequest): FakeEdrTenant {
    const t = this.state.tokenTenant(this.cookie(req));
    if (!t || t === 'expired') throw new VendorResponseError({ status: 302, headers: { Location: '/login.html' }, text: 'session expired' });
    return t;
  }

  private login(req: VendorRequest): VendorResponse {
    const form = (req.body ?? {}) as Obj;
    const tenant = typeof form.username === 'string' ? this.state.tenantByClient(form.username) : undefined;
    if (!tenant || form.password !== tenant.secret) return { status: 302, headers: { Location: '/login.html?error' } };
    const { token } = this.state.issueToken(tenant);
    return { status: 302, headers: { Location: '/index.html', 'Set-Cookie': `JSESSIONID=${token}; Path=/; Secure; HttpOnly` } };
  }

  private logout(req: VendorRequest): VendorResponse {
    const c = this.cookie(req);
    if (c) this.state.revokeToken(c);
    return { status: 302, headers: { Location: '/login.html' } };
  }

  private sensors(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const body = (req.body ?? {}) as Obj;
    let hosts = [...tenant.hosts.values()];
    const filters = body.filters ?? [];
    if (!Array.isArray(filters)) return this.error(400, 'filters must be an array');
    for (const raw of filters) {
      const f = (raw ?? {}) as Obj;
      const values = Array.isArray(f.values) ? f.values.map(String) : [];
      if (f.operator !== 'Equals') return this.error(400, `unsupported operator ${String(f.operator)}`);
      if (f.fieldName === 'pylumId') hosts = hosts.filter((h) => values.includes(h.agentId));
      else if (f.fieldName === 'machineName') hosts = hosts.filter((h) => values.some((v) => v.toLowerCase() === h.hostName.toLowerCase()));
      else return this.error(400, `unsupported filter field ${String(f.fieldName)}`);
    }
    hosts.sort((a, b) => a.hostName.localeCompare(b.hostName));
    const limit = Number(body.limit ?? 100);
    const offset = Number(body.offset ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return this.error(400, `invalid limit ${String(body.limit)}`);
    if (!Number.isInteger(offset) || offset < 0) return this.error(400, `invalid offset ${String(body.offset)}`);
    return { json: { sensors: hosts.slice(offset, offset + limit).map((h) => this.sensor(h)), totalResults: hosts.length, hasMoreResults: offset + limit < hosts.length } };
  }

  private command(req: VendorRequest, kind: 'isolate' | 'un-isolate'): VendorResponse {
    const tenant = this.tenantOf(req);
    const ids = ((req.body ?? {}) as Obj).pylumIds;
    if (!Array.isArray(ids) || !ids.length) return this.error(400, 'pylumIds is required');
    const out: Record<string, string> = {};
    for (const id of ids.map(String)) {
      const h = tenant.hosts.get(id);
      if (!h) {
        out[id] = 'Failed';
        continue;
      }
      if (kind === 'isolate') this.state.contain(h);
      else this.state.release(h);
      out[id] = 'Succeeded';
    }
    return { json: out };
  }

  private inbox(req: VendorRequest): VendorResponse {
    const tenant = this.tenantOf(req);
    const body = (req.body ?? {}) as Obj;
    const start = Number(body.startTime);
    const end = Number(body.endTime);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start > end) return this.error(400, 'startTime and endTime (epoch ms, startTime <= endTime) are required');
    const malops = tenant.alerts.filter((m) => Number(m.lastUpdateTime) >= start && Number(m.lastUpdateTime) <= end);
    return { json: { malops, totalMalops: malops.length } };
  }

  private sensor(h: FakeEdrHost): Obj {
    const state = this.state.observe(h);
    return {
      sensorId: `${h.agentId}:sensor`,
      pylumId: h.agentId,
      guid: h.agentId,
      machineName: h.hostName,
      fqdn: `${h.hostName.toLowerCase()}.corp.example`,
      internalIpAddress: h.ips[0],
      externalIpAddress: '203.0.113.30',
      osType: 'WINDOWS',
      osVersionType: h.os,
      status: 'Online',
      // The isolation shows once the sensor applied it.
      isolated: state === 'contained' || state === 'releasing',
      lastPylumUpdateTimestamp: h.lastSeenAt.getTime(),
      version: '23.1.82.1',
    };
  }
}
