// VMware Carbon Black Cloud (https://developer.carbonblack.com/reference/carbon-black-cloud/):
// API key in `X-Auth-Token: <API secret key>/<API ID>` (no login, no expiry: a 401 is a wrong or
// revoked key). Devices: `POST /appservices/v6/orgs/{org_key}/devices/_search` {criteria, query,
// start, rows} -> {results, num_found}, each with `quarantined`. Quarantine: `POST
// /appservices/v6/orgs/{org_key}/device_actions` {"action_type":"QUARANTINE","device_id":[id],
// "options":{"toggle":"ON"|"OFF"}} -> 204. Alerts v7: `POST /api/alerts/v7/orgs/{org_key}/alerts/_search`
// with criteria on backend_update_timestamp, start/rows paging. Errors: {"error_code","message"}.
import { ConnectorRuntime, VendorSession } from './connector-runtime';
import { DetectionPage, EdrConnector, EdrConnectorOptions, EdrCredentials, PulledDetection, VendorActionResult, VendorExchange, VendorHost } from './edr-connector';
import { HttpAnswer, VendorAuth, VendorHttp } from './vendor-http';
import { VendorError } from './vendor-error';

const PAGE = 100;
const DEFAULT_LOOKBACK_MS = 24 * 3600_000;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

export function carbonBlackMessage(answer: HttpAnswer): string {
  const b = obj(answer.json);
  return str(b.message) ?? str(b.error_code) ?? (answer.text ? answer.text.slice(0, 200) : `HTTP ${answer.status}`);
}

const CB_AUTH: VendorAuth = {
  login(http): Promise<VendorSession> {
    const token = `${http.target.secret}/${http.target.clientId}`;
    return Promise.resolve({ headers: { 'x-auth-token': token }, token, expiresAt: null });
  },
  // An API key does not expire: a 401 is handled as a refusal of the credentials below.
  expired: () => false,
  message: carbonBlackMessage,
};

export class CarbonBlackConnector implements EdrConnector {
  readonly product = 'CARBON_BLACK' as const;
  private readonly http: VendorHttp;
  private readonly org: string;

  constructor(runtime: ConnectorRuntime, customerId: string, creds: EdrCredentials, opts: EdrConnectorOptions = {}) {
    if (!creds.orgKey) throw new VendorError('NOT_CONFIGURED', 'Carbon Black connector has no org key');
    this.org = encodeURIComponent(creds.orgKey);
    this.http = new VendorHttp(runtime, { product: this.product, label: 'Carbon Black', customerId, baseUrl: creds.baseUrl, clientId: creds.clientId, secret: creds.secret }, CB_AUTH, opts.onExchange);
  }

  async verify(): Promise<void> {
    await this.search({ rows: 1, start: 0 }, []);
  }

  async findHost(query: { agentId?: string | null; hostName?: string | null }): Promise<VendorHost | null> {
    const log: VendorExchange[] = [];
    if (query.agentId) {
      if (!/^\d+$/.test(query.agentId)) return null;
      return (await this.search({ criteria: { id: [Number(query.agentId)] }, rows: 1, start: 0 }, log)).hosts[0] ?? null;
    }
    if (query.hostName) {
      const { hosts } = await this.search({ query: `name:"${query.hostName.replace(/"/g, '\\"')}"`, rows: 10, start: 0 }, log);
      return hosts.find((h) => sameHost(h.hostName, query.hostName!)) ?? null;
    }
    return null;
  }

  async listHosts(): Promise<VendorHost[]> {
    const log: VendorExchange[] = [];
    const out: VendorHost[] = [];
    for (let start = 0; ; start += PAGE) {
      const { hosts, total } = await this.search({ rows: PAGE, start }, log);
      out.push(...hosts);
      if (hosts.length < PAGE || start + hosts.length >= total) return out;
    }
  }

  contain(agentId: string): Promise<VendorActionResult> {
    return this.quarantine(agentId, 'ON');
  }

  release(agentId: string): Promise<VendorActionResult> {
    return this.quarantine(agentId, 'OFF');
  }

  async pullDetections(cursor: string | null): Promise<DetectionPage> {
    const log: VendorExchange[] = [];
    const since = cursor ?? new Date(Date.now() - DEFAULT_LOOKBACK_MS).toISOString();
    const until = new Date().toISOString();
    const detections: PulledDetection[] = [];
    let latest = since;
    for (let start = 1; ; start += PAGE) {
      const answer = this.ok(
        await this.http.call(
          {
            method: 'POST',
            path: `/api/alerts/v7/orgs/${this.org}/alerts/_search`,
            json: { criteria: { backend_update_timestamp: { start: since, end: until } }, start, rows: PAGE, sort: [{ field: 'backend_update_timestamp', order: 'ASC' }] },
          },
          log,
        ),
        log,
      );
      const results = (obj(answer.json).results as unknown[] | undefined) ?? [];
      for (const raw of results) {
        const alert = obj(raw);
        const id = str(alert.id);
        // The range is inclusive: an alert at exactly the cursor was handed over by the last pull.
        const updated = str(alert.backend_update_timestamp);
        if (!id || (cursor && updated !== null && updated <= cursor)) continue;
        detections.push({ externalId: id, record: alert });
        if (updated && updated > latest) latest = updated;
      }
      const found = Number(obj(answer.json).num_found ?? 0);
      if (results.length < PAGE || start - 1 + results.length >= found) break;
    }
    return { detections, nextCursor: detections.length ? latest : null };
  }

  private async quarantine(agentId: string, toggle: 'ON' | 'OFF'): Promise<VendorActionResult> {
    const log: VendorExchange[] = [];
    if (!/^\d+$/.test(agentId)) throw new VendorError('NOT_FOUND', `device ${agentId} not found in Carbon Black (device ids are numbers)`, null, log);
    const answer = await this.http.call(
      { method: 'POST', path: `/appservices/v6/orgs/${this.org}/device_actions`, json: { action_type: 'QUARANTINE', device_id: [agentId], options: { toggle } } },
      log,
    );
    this.authOk(answer, log);
    if (answer.status === 404) throw new VendorError('NOT_FOUND', `device ${agentId} not found in Carbon Black: ${carbonBlackMessage(answer)}`, 404, log);
    if (answer.status >= 400) return { accepted: false, message: carbonBlackMessage(answer), exchanges: log };
    return { accepted: true, message: null, exchanges: log };
  }

  private async search(body: Obj, log: VendorExchange[]): Promise<{ hosts: VendorHost[]; total: number }> {
    const answer = this.ok(await this.http.call({ method: 'POST', path: `/appservices/v6/orgs/${this.org}/devices/_search`, json: body }, log), log);
    const results = (obj(answer.json).results as unknown[] | undefined) ?? [];
    const hosts = results.map((r) => {
      const d = obj(r);
      return {
        agentId: str(d.id) ?? '',
        hostName: str(d.name) ?? '',
        ips: [str(d.last_internal_ip_address), str(d.last_external_ip_address)].filter((x): x is string => !!x),
        os: str(d.os_version) ?? str(d.os),
        lastSeenAt: str(d.last_contact_time),
        // Carbon Black applies quarantine at the sensor's next check-in; until then `quarantined`
        // stays as it was (so a pending quarantine reads NORMAL, a pending release CONTAINED).
        containment: d.quarantined === true ? 'CONTAINED' : 'NORMAL',
      } satisfies VendorHost;
    });
    return { hosts, total: Number(obj(answer.json).num_found ?? hosts.length) };
  }

  private authOk(answer: HttpAnswer, log: VendorExchange[]): void {
    if (answer.status === 401 || answer.status === 403) throw new VendorError('AUTH', `Carbon Black refused the credentials: ${carbonBlackMessage(answer)}`, answer.status, [...log]);
  }

  private ok(answer: HttpAnswer, log: VendorExchange[]): HttpAnswer {
    this.authOk(answer, log);
    if (answer.status >= 400) throw new VendorError('REJECTED', `Carbon Black answered ${answer.status}: ${carbonBlackMessage(answer)}`, answer.status, [...log]);
    return answer;
  }
}

// Carbon Black reports names as DOMAIN\host.
function sameHost(vendorName: string, wanted: string): boolean {
  const short = (n: string) => n.split('\\').pop()!.toLowerCase();
  return vendorName.toLowerCase() === wanted.toLowerCase() || short(vendorName) === short(wanted);
}
