// CrowdStrike Falcon (https://falcon.crowdstrike.com/documentation, "Hosts" and "Alerts" APIs):
// OAuth2 client credentials `POST /oauth2/token` (form client_id, client_secret) -> access_token,
// expires_in; bearer on every call, 401 when it expired. Hosts: `GET /devices/queries/devices/v1`
// (FQL filter, offset/limit) -> aids, `GET /devices/entities/devices/v2?ids=` -> details with
// `status` (normal, containment_pending, contained, lift_containment_pending). Containment:
// `POST /devices/entities/devices-actions/v2?action_name=contain|lift_containment` {"ids":[aid]}.
// Alerts: `GET /alerts/queries/alerts/v2?filter=updated_timestamp:>'ISO'` -> composite ids, then
// `POST /alerts/entities/alerts/v2` {"composite_ids":[...]}. Errors: {"errors":[{"code","message"}]}.
import { ConnectorRuntime, VendorSession } from './connector-runtime';
import { DetectionPage, EdrConnector, EdrConnectorOptions, EdrCredentials, PulledDetection, VendorActionResult, VendorExchange, VendorHost } from './edr-connector';
import { HttpAnswer, VendorAuth, VendorHttp } from './vendor-http';
import { VendorError } from './vendor-error';

const PAGE = 100;
// With no cursor, the first pull looks this far back.
export const DEFAULT_LOOKBACK_MS = 24 * 3600_000;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

export function crowdStrikeMessage(answer: HttpAnswer): string {
  const errors = obj(answer.json).errors;
  if (Array.isArray(errors) && errors.length) return errors.map((e) => str(obj(e).message) ?? 'error').join('; ');
  return answer.text ? answer.text.slice(0, 200) : `HTTP ${answer.status}`;
}

const CS_AUTH: VendorAuth = {
  async login(http, log): Promise<VendorSession> {
    const t = http.target;
    const answer = await http.exchange({ method: 'POST', path: '/oauth2/token', form: { client_id: t.clientId, client_secret: t.secret } }, null, log);
    const body = obj(answer.json);
    if (answer.status >= 400 || typeof body.access_token !== 'string') {
      throw new VendorError('AUTH', `CrowdStrike refused the credentials: ${crowdStrikeMessage(answer)}`, answer.status, [...log]);
    }
    const ttl = typeof body.expires_in === 'number' ? body.expires_in : 1799;
    return { headers: { authorization: `Bearer ${body.access_token}` }, token: body.access_token, expiresAt: Date.now() + ttl * 1000 };
  },
  expired: (answer) => answer.status === 401,
  message: crowdStrikeMessage,
};

const STATUS: Record<string, VendorHost['containment']> = {
  normal: 'NORMAL',
  containment_pending: 'PENDING',
  contained: 'CONTAINED',
  lift_containment_pending: 'RELEASE_PENDING',
};

export class CrowdStrikeConnector implements EdrConnector {
  readonly product = 'CROWDSTRIKE_FALCON' as const;
  private readonly http: VendorHttp;

  constructor(runtime: ConnectorRuntime, customerId: string, creds: EdrCredentials, opts: EdrConnectorOptions = {}) {
    this.http = new VendorHttp(runtime, { product: this.product, label: 'CrowdStrike', customerId, baseUrl: creds.baseUrl, clientId: creds.clientId, secret: creds.secret }, CS_AUTH, opts.onExchange);
  }

  async verify(): Promise<void> {
    const log: VendorExchange[] = [];
    this.ok(await this.http.call({ method: 'GET', path: '/devices/queries/devices/v1', query: { limit: 1 } }, log), log);
  }

  async findHost(query: { agentId?: string | null; hostName?: string | null }): Promise<VendorHost | null> {
    const log: VendorExchange[] = [];
    let aid = query.agentId ?? null;
    if (!aid && query.hostName) {
      const answer = this.ok(await this.http.call({ method: 'GET', path: '/devices/queries/devices/v1', query: { filter: `hostname:'${query.hostName.replace(/'/g, "\\'")}'`, limit: 1 } }, log), log);
      aid = str((obj(answer.json).resources as unknown[] | undefined)?.[0]);
      if (!aid) return null;
    }
    if (!aid) return null;
    const hosts = await this.details([aid], log);
    return hosts[0] ?? null;
  }

  async listHosts(): Promise<VendorHost[]> {
    const log: VendorExchange[] = [];
    const out: VendorHost[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const answer = this.ok(await this.http.call({ method: 'GET', path: '/devices/queries/devices/v1', query: { offset, limit: PAGE } }, log), log);
      const ids = ((obj(answer.json).resources as unknown[] | undefined) ?? []).map(str).filter((x): x is string => !!x);
      if (ids.length) out.push(...(await this.details(ids, log)));
      const total = Number(obj(obj(obj(answer.json).meta).pagination).total ?? 0);
      if (ids.length < PAGE || offset + ids.length >= total) return out;
    }
  }

  contain(agentId: string): Promise<VendorActionResult> {
    return this.action(agentId, 'contain');
  }

  release(agentId: string): Promise<VendorActionResult> {
    return this.action(agentId, 'lift_containment');
  }

  async pullDetections(cursor: string | null): Promise<DetectionPage> {
    const log: VendorExchange[] = [];
    const since = cursor ?? new Date(Date.now() - DEFAULT_LOOKBACK_MS).toISOString();
    const ids: string[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const answer = this.ok(
        await this.http.call({ method: 'GET', path: '/alerts/queries/alerts/v2', query: { filter: `updated_timestamp:>'${since}'`, sort: 'updated_timestamp.asc', offset, limit: PAGE } }, log),
        log,
      );
      const page = ((obj(answer.json).resources as unknown[] | undefined) ?? []).map(str).filter((x): x is string => !!x);
      ids.push(...page);
      const total = Number(obj(obj(obj(answer.json).meta).pagination).total ?? 0);
      if (page.length < PAGE || offset + page.length >= total) break;
    }
    if (!ids.length) return { detections: [], nextCursor: null };
    const detections: PulledDetection[] = [];
    let latest = since;
    for (let i = 0; i < ids.length; i += PAGE) {
      const answer = this.ok(await this.http.call({ method: 'POST', path: '/alerts/entities/alerts/v2', json: { composite_ids: ids.slice(i, i + PAGE) } }, log), log);
      for (const raw of (obj(answer.json).resources as unknown[] | undefined) ?? []) {
        const alert = obj(raw);
        const id = str(alert.composite_id);
        if (!id) continue;
        detections.push({ externalId: id, record: falconAlertRecord(alert) });
        const updated = str(alert.updated_timestamp);
        if (updated && updated > latest) latest = updated;
      }
    }
    return { detections, nextCursor: latest };
  }

  private async action(agentId: string, action: 'contain' | 'lift_containment'): Promise<VendorActionResult> {
    const log: VendorExchange[] = [];
    const answer = await this.http.call({ method: 'POST', path: '/devices/entities/devices-actions/v2', query: { action_name: action }, json: { ids: [agentId] } }, log);
    if (answer.status === 404) throw new VendorError('NOT_FOUND', `host ${agentId} not found in CrowdStrike: ${crowdStrikeMessage(answer)}`, 404, log);
    if (answer.status >= 400) return { accepted: false, message: crowdStrikeMessage(answer), exchanges: log };
    return { accepted: true, message: null, exchanges: log };
  }

  private async details(ids: string[], log: VendorExchange[]): Promise<VendorHost[]> {
    const answer = await this.http.call({ method: 'GET', path: '/devices/entities/devices/v2', query: { ids } }, log);
    if (answer.status === 404) return [];
    this.ok(answer, log);
    return ((obj(answer.json).resources as unknown[] | undefined) ?? []).map((r) => {
      const d = obj(r);
      return {
        agentId: str(d.device_id) ?? '',
        hostName: str(d.hostname) ?? '',
        ips: [str(d.local_ip), str(d.external_ip)].filter((x): x is string => !!x),
        os: str(d.os_version) ?? str(d.platform_name),
        lastSeenAt: str(d.last_seen),
        containment: STATUS[str(d.status) ?? 'normal'] ?? 'NORMAL',
      };
    });
  }

  private ok(answer: HttpAnswer, log: VendorExchange[]): HttpAnswer {
    if (answer.status >= 400) throw new VendorError('REJECTED', `CrowdStrike answered ${answer.status}: ${crowdStrikeMessage(answer)}`, answer.status, [...log]);
    return answer;
  }
}

// An Alerts API resource in the Event Streams shape ingestion's CrowdStrike parser reads
// (EppDetectionSummaryEvent: {metadata, event} with the PascalCase fields).
export function falconAlertRecord(a: Obj): Record<string, unknown> {
  const device = obj(a.device);
  const created = Date.parse(str(a.created_timestamp) ?? str(a.timestamp) ?? '');
  const event: Obj = {
    Hostname: device.hostname,
    AgentId: device.device_id ?? a.agent_id,
    CompositeId: a.composite_id,
    Name: a.display_name ?? a.name,
    Description: a.description,
    Severity: a.severity,
    SeverityName: a.severity_name,
    FileName: a.filename,
    FilePath: a.filepath,
    CommandLine: a.cmdline,
    SHA256String: a.sha256,
    MD5String: a.md5,
    LocalIP: device.local_ip,
    MACAddress: device.mac_address,
    Platform: device.platform_name,
    UserName: a.user_name,
    LogonDomain: a.logon_domain,
    Tactic: a.tactic,
    TacticId: a.tactic_id,
    Technique: a.technique,
    TechniqueId: a.technique_id,
    Objective: a.objective,
    PatternId: a.pattern_id,
    PatternDispositionDescription: a.pattern_disposition_description,
    PatternDispositionValue: a.pattern_disposition,
    PatternDispositionFlags: a.pattern_disposition_details,
    ParentImageFileName: obj(a.parent_details).filepath,
    ParentCommandLine: obj(a.parent_details).cmdline,
    FalconHostLink: a.falcon_host_link,
    Timestamp: a.timestamp,
  };
  for (const k of Object.keys(event)) if (event[k] === undefined || event[k] === null) delete event[k];
  return {
    metadata: { customerIDString: a.cid, eventType: 'EppDetectionSummaryEvent', eventCreationTime: Number.isNaN(created) ? undefined : created, version: '1.0' },
    event,
  };
}
