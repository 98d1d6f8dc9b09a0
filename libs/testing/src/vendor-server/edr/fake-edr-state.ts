// What the local EDR consoles (FakeCrowdStrikeServer, FakeCarbonBlackServer, FakeCybereasonServer,
// FakeFireEyeHxServer) share: tenants with their credential and hosts (a credential sees only its
// own tenant), tokens with a lifetime, a per-credential rate limit, an answer latency, containment
// that is confirmed after N status reads and/or a delay, and the record of every containment action
// (which host, which action, whether it was a duplicate) so tests can assert zero duplicates.
import { randomBytes } from 'node:crypto';

export type FakeContainment = 'normal' | 'containing' | 'contained' | 'releasing';

export interface FakeEdrHost {
  tenant: string;
  agentId: string;
  hostName: string;
  ips: string[];
  os: string;
  lastSeenAt: Date;
  state: FakeContainment;
  // While containing / releasing: status reads still to go, and since when.
  pendingReads: number;
  pendingSince: number;
}

export interface FakeEdrHostInput {
  hostName: string;
  agentId?: string;
  ips?: string[];
  os?: string;
  lastSeenAt?: Date;
  contained?: boolean;
}

export interface FakeEdrTenant {
  id: string;
  clientId: string;
  secret: string;
  orgKey: string;
  hosts: Map<string, FakeEdrHost>;
  alerts: Record<string, unknown>[];
}

export interface FakeEdrTenantInput {
  // A name for the tenant (the vendor's customer id / org); random by default.
  id?: string;
  clientId?: string;
  secret?: string;
  // Carbon Black's org key; random by default.
  orgKey?: string;
  hosts?: FakeEdrHostInput[];
}

export interface FakeEdrAction {
  seq: number;
  at: Date;
  tenant: string;
  agentId: string;
  action: 'contain' | 'release';
  // True when the host was already contained (or containing) for a contain, or normal (or
  // releasing) for a release: the vendor accepts it, but the caller acted twice.
  duplicate: boolean;
}

export interface FakeEdrOptions {
  host?: string;
  // 0 (a free port) by default; the demo passes a fixed one.
  port?: number;
  // Token / session lifetime; 1800 s by default.
  tokenTtlSeconds?: number;
  // Every answer waits this long first (e.g. 200 ms for the benchmark); 0 by default.
  latencyMs?: number;
  // Containment (and release) is confirmed on the Nth status read after the action (1 by
  // default: the first read already shows it done; 3: two reads show it pending)...
  confirmAfterReads?: number;
  // ...and not before this many ms after the action (0 by default).
  confirmAfterMs?: number;
  // Requests per credential within `windowMs` beyond which the console answers 429.
  rateLimit?: { requests: number; windowMs?: number; retryAfterSeconds?: number };
  now?: () => number;
}

export class FakeEdrState {
  readonly tenants = new Map<string, FakeEdrTenant>();
  readonly actions: FakeEdrAction[] = [];
  private readonly tokens = new Map<string, { tenant: string; expiresAt: number }>();
  private readonly used = new Map<string, number[]>();
  private active = 0;
  private highest = 0;
  private seq = 0;

  constructor(
    readonly options: FakeEdrOptions,
    private readonly newAgentId: (hostName: string) => string,
  ) {}

  now(): number {
    return this.options.now?.() ?? Date.now();
  }

  // ----- tenants and hosts -----

  addTenant(input: FakeEdrTenantInput = {}): FakeEdrTenant {
    const tenant: FakeEdrTenant = {
      id: input.id ?? randomBytes(16).toString('hex'),
      clientId: input.clientId ?? randomBytes(16).toString('hex'),
      secret: input.secret ?? randomBytes(24).toString('base64url'),
      orgKey: input.orgKey ?? randomBytes(4).toString('hex').toUpperCase(),
      hosts: new Map(),
      alerts: [],
    };
    this.tenants.set(tenant.id, tenant);
    for (const h of input.hosts ?? []) this.addHost(tenant.id, h);
    return tenant;
  }

  addHost(tenantId: string, input: FakeEdrHostInput): FakeEdrHost {
    const tenant = this.tenant(tenantId);
    const host: FakeEdrHost = {
      tenant: tenant.id,
      agentId: input.agentId ?? this.newAgentId(input.hostName),
      hostName: input.hostName,
      ips: input.ips ?? [`10.0.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`],
      os: input.os ?? 'Windows 11',
      lastSeenAt: input.lastSeenAt ?? new Date(this.now()),
      state: input.contained ? 'contained' : 'normal',
      pendingReads: 0,
      pendingSince: 0,
    };
    tenant.hosts.set(host.agentId, host);
    return host;
  }

  tenant(id: string): FakeEdrTenant {
    const t = this.tenants.get(id);
    if (!t) throw new Error(`no fake EDR tenant ${id}`);
    return t;
  }

  tenantByClient(clientId: string): FakeEdrTenant | undefined {
    return [...this.tenants.values()].find((t) => t.clientId === clientId);
  }

  // A host of any tenant, by agent id (for tests).
  host(agentId: string): FakeEdrHost | undefined {
    for (const t of this.tenants.values()) {
      const h = t.hosts.get(agentId);
      if (h) return h;
    }
    return undefined;
  }

  // ----- tokens -----

  issueToken(tenant: FakeEdrTenant): { token: string; ttlSeconds: number } {
    const ttlSeconds = this.options.tokenTtlSeconds ?? 1800;
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { tenant: tenant.id, expiresAt: this.now() + ttlSeconds * 1000 });
    return { token, ttlSeconds };
  }

  // The tenant of a live token; 'expired' for a known token past its lifetime.
  tokenTenant(token: string | undefined): FakeEdrTenant | 'expired' | undefined {
    if (!token) return undefined;
    const t = this.tokens.get(token);
    if (!t) return undefined;
    if (t.expiresAt <= this.now()) return 'expired';
    return this.tenants.get(t.tenant);
  }

  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  // Every token issued so far expires now (the next call with one is answered 401).
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, this.now());
  }

  get tokensIssued(): number {
    return this.tokens.size;
  }

  // ----- rate limit, latency, concurrency -----

  // Seconds to announce in Retry-After when `key` (a credential) is over its limit; the request
  // then does not count.
  overLimit(key: string): number | undefined {
    const limit = this.options.rateLimit;
    if (!limit) return undefined;
    const now = this.now();
    const windowMs = limit.windowMs ?? 60_000;
    const recent = (this.used.get(key) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= limit.requests) {
      this.used.set(key, recent);
      return limit.retryAfterSeconds ?? Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
    }
    recent.push(now);
    this.used.set(key, recent);
    return undefined;
  }

  setLatency(ms: number): void {
    this.options.latencyMs = ms;
  }

  // Runs an answer with the configured latency, counting requests in flight.
  async answer<T>(work: () => T | Promise<T>): Promise<T> {
    this.active++;
    this.highest = Math.max(this.highest, this.active);
    try {
      const ms = this.options.latencyMs ?? 0;
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      return await work();
    } finally {
      this.active--;
    }
  }

  // The most requests the console was answering at once since the last reset.
  get peakConcurrency(): number {
    return this.highest;
  }

  // ----- containment -----

  contain(host: FakeEdrHost): FakeEdrAction {
    const duplicate = host.state === 'contained' || host.state === 'containing';
    if (!duplicate) this.pending(host, 'containing');
    return this.record(host, 'contain', duplicate);
  }

  release(host: FakeEdrHost): FakeEdrAction {
    const duplicate = host.state === 'normal' || host.state === 'releasing';
    if (!duplicate) this.pending(host, 'releasing');
    return this.record(host, 'release', duplicate);
  }

  // A status read: a pending action settles once enough reads and time have passed.
  observe(host: FakeEdrHost): FakeContainment {
    if (host.state === 'containing' || host.state === 'releasing') {
      host.pendingReads--;
      if (host.pendingReads <= 0 && this.now() - host.pendingSince >= (this.options.confirmAfterMs ?? 0)) {
        host.state = host.state === 'containing' ? 'contained' : 'normal';
      }
    }
    return host.state;
  }

  // Settles every pending action now (a test that does not care about the delay).
  settleAll(): void {
    for (const t of this.tenants.values()) {
      for (const h of t.hosts.values()) {
        if (h.state === 'containing') h.state = 'contained';
        if (h.state === 'releasing') h.state = 'normal';
      }
    }
  }

  actionCount(agentId: string, action?: 'contain' | 'release'): number {
    return this.actions.filter((a) => a.agentId === agentId && (action === undefined || a.action === action)).length;
  }

  duplicateActions(): FakeEdrAction[] {
    return this.actions.filter((a) => a.duplicate);
  }

  // Forgets requests-per-window use, the concurrency peak and the action log; tenants stay.
  reset(): void {
    this.used.clear();
    this.actions.length = 0;
    this.highest = 0;
    this.seq = 0;
  }

  private pending(host: FakeEdrHost, state: 'containing' | 'releasing'): void {
    host.state = state;
    host.pendingReads = this.options.confirmAfterReads ?? 1;
    host.pendingSince = this.now();
  }

  private record(host: FakeEdrHost, action: 'contain' | 'release', duplicate: boolean): FakeEdrAction {
    const entry: FakeEdrAction = { seq: ++this.seq, at: new Date(this.now()), tenant: host.tenant, agentId: host.agentId, action, duplicate };
    this.actions.push(entry);
    return entry;
  }
}
