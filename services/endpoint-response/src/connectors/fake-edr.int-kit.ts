// An in-memory EDR behind the factory seam, for the state machine's unit spec and the inventory's
// int spec (the isolation int spec and the bench use the real adapters against the local vendor
// consoles): hosts per customer and product, containment that the EDR confirms after a delay (or
// never), wrong credentials, every action counted, and the requests in flight per connector.
import { EdrProductCode } from '@kanshi/events';
import { DetectionPage, EdrConnector, VendorActionResult, VendorExchange, VendorHost, VendorError } from './edr-connector';
import { ConfiguredConnector, EdrConnectorFactory } from './edr-connector.factory';

export interface FakeEdrOptions {
  // Each call answers after this long.
  latencyMs?: number;
  // The EDR reports CONTAINED / NORMAL this long after accepting the action; null: never.
  confirmAfterMs?: number | null;
}

interface FakeHost extends VendorHost {
  changeAt: number | null;
  target: VendorHost['containment'] | null;
  // this host's own confirmation delay (undefined: the EDR's)
  confirmAfter: number | null | undefined;
}

export class FakeEdr {
  readonly actions: { customerId: string; product: EdrProductCode; agentId: string; action: 'contain' | 'release'; at: number }[] = [];
  readonly unhealthy: { customerId: string; product: EdrProductCode; message: string }[] = [];
  // The highest number of requests in flight at once per connector (customer:product).
  readonly maxInFlight = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly hosts = new Map<string, Map<string, FakeHost>>();
  private readonly refused = new Map<string, string>();
  private readonly opts: Required<FakeEdrOptions>;

  constructor(opts: FakeEdrOptions = {}) {
    this.opts = { latencyMs: opts.latencyMs ?? 5, confirmAfterMs: opts.confirmAfterMs === undefined ? 50 : opts.confirmAfterMs };
  }

  addHost(customerId: string, product: EdrProductCode, host: Partial<VendorHost> & { agentId: string; hostName: string }, opts: { confirmAfterMs?: number | null } = {}): void {
    const key = `${customerId}:${product}`;
    if (!this.hosts.has(key)) this.hosts.set(key, new Map());
    this.hosts.get(key)!.set(host.agentId, { ips: [], os: null, lastSeenAt: new Date().toISOString(), containment: 'NORMAL', ...host, changeAt: null, target: null, confirmAfter: opts.confirmAfterMs });
  }

  // The vendor answers 401 to this customer's credentials from now on.
  refuseCredentials(customerId: string, product: EdrProductCode, message = 'invalid_client: the client credentials are not valid'): void {
    this.refused.set(`${customerId}:${product}`, message);
  }

  actionsOn(agentId: string): number {
    return this.actions.filter((a) => a.agentId === agentId).length;
  }

  forCustomer(customerId: string, product: EdrProductCode): Promise<EdrConnector> {
    const key = `${customerId}:${product}`;
    const call = async <T>(work: () => T): Promise<T> => {
      const n = (this.inFlight.get(key) ?? 0) + 1;
      this.inFlight.set(key, n);
      this.maxInFlight.set(key, Math.max(n, this.maxInFlight.get(key) ?? 0));
      try {
        await new Promise((r) => setTimeout(r, this.opts.latencyMs));
        const refusal = this.refused.get(key);
        if (refusal) throw new VendorError('AUTH', refusal, 401);
        return work();
      } finally {
        this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
      }
    };
    const host = (agentId: string): FakeHost | undefined => {
      const h = this.hosts.get(key)?.get(agentId);
      if (h && h.changeAt !== null && h.changeAt <= Date.now()) {
        h.containment = h.target!;
        h.changeAt = null;
      }
      return h;
    };
    const exchange = (method: string, path: string, status: number, summary: string): VendorExchange => ({ at: new Date().toISOString(), method, path, status, summary, durationMs: this.opts.latencyMs });
    const act = (agentId: string, action: 'contain' | 'release'): VendorActionResult => {
      const h = host(agentId);
      if (!h) throw new VendorError('NOT_FOUND', `device ${agentId} not found`, 404);
      this.actions.push({ customerId, product, agentId, action, at: Date.now() });
      const confirm = h.confirmAfter !== undefined ? h.confirmAfter : this.opts.confirmAfterMs;
      h.containment = action === 'contain' ? 'PENDING' : 'RELEASE_PENDING';
      h.target = action === 'contain' ? 'CONTAINED' : 'NORMAL';
      h.changeAt = confirm === null ? null : Date.now() + confirm;
      return { accepted: true, message: null, exchanges: [exchange('POST', `/devices/actions?action=${action}`, 202, `${action} accepted for ${agentId}`)] };
    };
    const connector: EdrConnector = {
      product,
      findHost: (q) =>
        call(() => {
          const h = q.agentId ? host(q.agentId) : [...(this.hosts.get(key)?.values() ?? [])].find((x) => x.hostName === q.hostName);
          return h ? { agentId: h.agentId, hostName: h.hostName, ips: h.ips, os: h.os, lastSeenAt: h.lastSeenAt, containment: h.containment } : null;
        }),
      listHosts: () => call(() => [...(this.hosts.get(key)?.values() ?? [])].map((h) => ({ agentId: h.agentId, hostName: h.hostName, ips: h.ips, os: h.os, lastSeenAt: h.lastSeenAt, containment: h.containment }))),
      contain: (agentId) => call(() => act(agentId, 'contain')),
      release: (agentId) => call(() => act(agentId, 'release')),
      pullDetections: (): Promise<DetectionPage> => Promise.resolve({ detections: [], nextCursor: null }),
    };
    return Promise.resolve(connector);
  }

  // What AppModule.forRoot({ edrConnectors }) takes.
  asFactory(): EdrConnectorFactory {
    return this as unknown as EdrConnectorFactory;
  }

  configured(product?: EdrProductCode): Promise<ConfiguredConnector[]> {
    return Promise.resolve(
      [...this.hosts.keys()]
        .map((k) => k.split(':') as [string, EdrProductCode])
        .filter(([, p]) => !product || p === product)
        .map(([customerId, p]) => ({ customerId, product: p, sensorId: null, health: this.refused.has(`${customerId}:${p}`) ? ('UNHEALTHY' as const) : ('UNKNOWN' as const) })),
    );
  }

  markHealthy(): Promise<void> {
    return Promise.resolve();
  }

  markUnhealthy(customerId: string, product: EdrProductCode, message: string): Promise<void> {
    this.unhealthy.push({ customerId, product, message });
    return Promise.resolve();
  }
}
