// Each adapter against its local console (real HTTP on 127.0.0.1): containment round trips with
// the vendor's confirmation, re-login after expiry, 429 / 5xx / timeouts, the circuit breaker,
// unknown hosts, wrong credentials, tenancy, pulled detections, the concurrency limit, and no
// secret or token in the recorded exchanges.
import { randomUUID } from 'node:crypto';
import { FakeEdrOptions, FakeEdrServer, FakeEdrTenant } from '@kanshi/testing';
import { ConnectorRuntime } from './connector-runtime';
import { ConnectorSettings, DEFAULT_CONNECTOR_SETTINGS } from './connector-settings';
import { ADAPTERS, AdapterHarness, credentialsOf } from './edr-adapters.harness';
import { EdrConnector, VendorExchange, VendorHost } from './edr-connector';
import { VendorError } from './vendor-error';

jest.setTimeout(20_000);

const SETTINGS: ConnectorSettings = {
  ...DEFAULT_CONNECTOR_SETTINGS,
  timeoutMs: 300,
  maxRetries: 2,
  retryBaseMs: 10,
  retryMaxMs: 40,
  breakerFailures: 2,
  breakerCooldownMs: 300,
};
const ctx = { isolationId: randomUUID(), incidentId: randomUUID() };

describe.each(ADAPTERS)('$label adapter', (h: AdapterHarness) => {
  let server: FakeEdrServer;
  let tenant: FakeEdrTenant;
  let other: FakeEdrTenant;
  const servers: FakeEdrServer[] = [];

  async function console(options: FakeEdrOptions = {}): Promise<FakeEdrServer> {
    const s = h.server(options);
    await s.start();
    servers.push(s);
    return s;
  }

  function connect(opts: { settings?: Partial<ConnectorSettings>; secret?: string; exchanges?: VendorExchange[]; on?: FakeEdrServer; as?: FakeEdrTenant } = {}): EdrConnector & { verify(): Promise<void> } {
    const runtime = new ConnectorRuntime({ ...SETTINGS, ...opts.settings });
    const s = opts.on ?? server;
    const t = opts.as ?? tenant;
    return h.connector(runtime, randomUUID(), credentialsOf(h, s, t, opts.secret === undefined ? {} : { secret: opts.secret }), { onExchange: (e) => opts.exchanges?.push(e) });
  }

  const agent = (i = 0) => [...tenant.hosts.values()][i].agentId;

  beforeEach(async () => {
    server = await console({ confirmAfterReads: 2 });
    tenant = server.addTenant({ hosts: [{ hostName: 'PC-ACCT-011', ips: ['10.20.31.11'] }, { hostName: 'PC-ENG-004' }] });
    other = server.addTenant({ hosts: [{ hostName: 'PC-OTHER-001' }] });
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  async function pollUntil(c: EdrConnector, agentId: string, wanted: VendorHost['containment']): Promise<VendorHost['containment'][]> {
    const seen: VendorHost['containment'][] = [];
    for (let i = 0; i < 6; i++) {
      const host = await c.findHost({ agentId });
      seen.push(host!.containment);
      if (host!.containment === wanted) return seen;
    }
    throw new Error(`never ${wanted}: ${seen.join(', ')}`);
  }

  it('contains a host, sees the vendor confirm it, then releases it, acting once each', async () => {
    // reads are counted by the console: a read retried after a client timeout (a loaded machine)
    // would count twice, so this one waits longer
    const c = connect({ settings: { timeoutMs: 3000 } });
    const a = agent();
    expect(await c.contain(a, ctx)).toMatchObject({ accepted: true, message: null });
    const seen = await pollUntil(c, a, 'CONTAINED');
    expect(seen.length).toBe(2); // the console confirms on the second status read
    expect(seen[0]).not.toBe('CONTAINED');
    expect(await c.release(a, ctx)).toMatchObject({ accepted: true });
    expect((await pollUntil(c, a, 'NORMAL')).at(-1)).toBe('NORMAL');
    expect(server.actions.map((x) => [x.agentId, x.action])).toEqual([
      [a, 'contain'],
      [a, 'release'],
    ]);
    expect(server.duplicateActions()).toEqual([]);
  });

  it('finds a host by name and by agent id, with its IPs; lists only its own tenant’s hosts', async () => {
    const c = connect();
    const byName = await c.findHost({ hostName: 'PC-ACCT-011' });
    expect(byName).toMatchObject({ agentId: agent(), hostName: 'PC-ACCT-011', containment: 'NORMAL' });
    expect(byName!.ips).toContain('10.20.31.11');
    expect(await c.findHost({ agentId: agent(1) })).toMatchObject({ hostName: 'PC-ENG-004' });
    expect((await c.listHosts()).map((x) => x.hostName).sort()).toEqual(['PC-ACCT-011', 'PC-ENG-004']);
    // another tenant's host is unknown to this credential
    const theirs = [...other.hosts.values()][0].agentId;
    expect(await c.findHost({ agentId: theirs })).toBeNull();
    expect(await c.findHost({ hostName: 'PC-OTHER-001' })).toBeNull();
    await expect(c.contain(theirs, ctx)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    expect(server.actions).toEqual([]);
  });

  it('answers an unknown host with null, and refuses to contain it as NOT_FOUND "not found in <vendor>"', async () => {
    const c = connect();
    expect(await c.findHost({ agentId: h.unknownAgentId })).toBeNull();
    expect(await c.findHost({ hostName: 'NO-SUCH-HOST' })).toBeNull();
    const err = await c.contain(h.unknownAgentId, ctx).catch((e: unknown) => e);
    expect(VendorError.is(err, 'NOT_FOUND')).toBe(true);
    expect((err as VendorError).message).toContain(`not found in ${h.label}`);
    expect((err as VendorError).exchanges.length).toBeGreaterThan(0);
  });

  it('refuses wrong credentials as AUTH with the vendor’s message', async () => {
    const c = connect({ secret: 'not-the-secret' });
    const err = await c.findHost({ agentId: agent() }).catch((e: unknown) => e);
    expect(VendorError.is(err, 'AUTH')).toBe(true);
    expect((err as VendorError).message).toMatch(h.wrongCredentials);
    await expect(c.verify()).rejects.toMatchObject({ kind: 'AUTH' });
  });

  it('logs in again once when the token or session expired, and only once for calls at the same time', async () => {
    const c = connect();
    await c.findHost({ agentId: agent() });
    server.expireTokens();
    if (!h.expires) {
      // An API key does not expire: a revoked one is refused at once, without a loop.
      const before = server.requests.length;
      await expect(c.findHost({ agentId: agent() })).rejects.toMatchObject({ kind: 'AUTH' });
      expect(server.requests.length - before).toBe(1);
      return;
    }
    const hosts = await Promise.all([c.findHost({ agentId: agent() }), c.findHost({ agentId: agent(1) }), c.listHosts()]);
    expect(hosts[0]).toMatchObject({ hostName: 'PC-ACCT-011' });
    expect(server.requests.filter((r) => r.path === h.loginPath)).toHaveLength(2);
  });

  it('waits as Retry-After asks after a 429, then succeeds', async () => {
    const c = connect();
    await c.findHost({ agentId: agent() });
    server.rateLimitNext(1, 1);
    const started = Date.now();
    expect(await c.findHost({ agentId: agent() })).toMatchObject({ hostName: 'PC-ACCT-011' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('gives up as RATE_LIMITED when the console keeps answering 429', async () => {
    const c = connect({ settings: { maxRateLimitWaits: 1, maxRetryAfterMs: 5_000 } });
    await c.findHost({ agentId: agent() });
    server.rateLimitNext(5, 1);
    await expect(c.findHost({ agentId: agent() })).rejects.toMatchObject({ kind: 'RATE_LIMITED', status: 429 });
  });

  it('retries a 5xx with back-off and succeeds', async () => {
    const c = connect();
    await c.findHost({ agentId: agent() });
    const before = server.requests.length;
    server.failNextWithServerError(2);
    expect(await c.contain(agent(), ctx)).toMatchObject({ accepted: true });
    expect(server.requests.slice(before).map((r) => r.status)).toEqual([503, 503, ...server.requests.slice(before + 2).map(() => expect.any(Number))]);
    expect(server.actionCount(agent(), 'contain')).toBe(1);
  });

  it('fails as TIMEOUT when the console hangs on every attempt', async () => {
    const c = connect();
    await c.findHost({ agentId: agent() });
    server.hangNext(3);
    const started = Date.now();
    const err = await c.findHost({ agentId: agent() }).catch((e: unknown) => e);
    expect(VendorError.is(err, 'TIMEOUT')).toBe(true);
    expect((err as VendorError).message).toContain('did not answer within 300 ms (3 attempts)');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('opens the circuit after repeated failures, refuses at once while open, and half-opens after the cool-down', async () => {
    const c = connect();
    await c.findHost({ agentId: agent() });
    server.failNextWithServerError(Infinity);
    await expect(c.findHost({ agentId: agent() })).rejects.toMatchObject({ kind: 'UNAVAILABLE', status: 503 });
    await expect(c.listHosts()).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    const before = server.requests.length;
    const open = await c.findHost({ agentId: agent() }).catch((e: unknown) => e);
    expect(VendorError.is(open, 'CIRCUIT_OPEN')).toBe(true);
    expect((open as VendorError).message).toContain(`${h.label} circuit open`);
    expect(server.requests.length).toBe(before); // the vendor was not asked
    await server.reset();
    await new Promise((r) => setTimeout(r, 350));
    expect(await c.findHost({ agentId: agent() })).toMatchObject({ hostName: 'PC-ACCT-011' });
    expect(await c.findHost({ agentId: agent(1) })).toMatchObject({ hostName: 'PC-ENG-004' });
  });

  it('keeps the circuit of another customer closed', async () => {
    const runtime = new ConnectorRuntime(SETTINGS);
    const second = await console();
    const theirs = second.addTenant({ hosts: [{ hostName: 'PC-B-001' }] });
    const a = h.connector(runtime, randomUUID(), credentialsOf(h, server, tenant));
    const b = h.connector(runtime, randomUUID(), credentialsOf(h, second, theirs));
    server.failNextWithServerError(Infinity);
    await expect(a.listHosts()).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    await expect(a.listHosts()).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    await expect(a.listHosts()).rejects.toMatchObject({ kind: 'CIRCUIT_OPEN' });
    expect((await b.listHosts()).map((x) => x.hostName)).toEqual(['PC-B-001']);
  });

  it('keeps at most the configured number of calls in flight per vendor', async () => {
    const slow = await console({ latencyMs: 40 });
    const t = slow.addTenant({ hosts: Array.from({ length: 3 }, (_, i) => ({ hostName: `PC-${i}` })) });
    const c = connect({ on: slow, as: t, settings: { maxConcurrency: { ...SETTINGS.maxConcurrency, [h.product]: 2 } } });
    const ids = [...t.hosts.keys()];
    const hosts = await Promise.all(Array.from({ length: 12 }, (_, i) => c.findHost({ agentId: ids[i % 3] })));
    expect(hosts.every((x) => x !== null)).toBe(true);
    expect(slow.peakConcurrency).toBeLessThanOrEqual(2);
    expect(slow.peakConcurrency).toBe(2);
  });

  it('pulls detections since a cursor, each once', async () => {
    const c = connect();
    const t0 = Date.now();
    h.addDetection(server, tenant, agent(), new Date(t0 - 60_000));
    h.addDetection(server, tenant, agent(1), new Date(t0 - 30_000));
    h.addDetection(server, other, [...other.hosts.keys()][0], new Date(t0 - 30_000));
    const first = await c.pullDetections(null);
    expect(first.detections).toHaveLength(2);
    expect(new Set(first.detections.map((d) => d.externalId)).size).toBe(2);
    expect(first.nextCursor).not.toBeNull();
    const again = await c.pullDetections(first.nextCursor);
    expect(again).toEqual({ detections: [], nextCursor: null });
    await new Promise((r) => setTimeout(r, 5));
    h.addDetection(server, tenant, agent(), new Date());
    const next = await c.pullDetections(first.nextCursor);
    expect(next.detections).toHaveLength(1);
    expect(first.detections.map((d) => d.externalId)).not.toContain(next.detections[0].externalId);
  });

  it('records every exchange without the secret, tokens or cookies', async () => {
    const exchanges: VendorExchange[] = [];
    const c = connect({ exchanges });
    const a = agent();
    const result = await c.contain(a, ctx);
    await pollUntil(c, a, 'CONTAINED');
    server.expireTokens();
    if (h.expires) await c.release(a, ctx);
    expect(result.exchanges.length).toBeGreaterThan(0);
    expect(exchanges.length).toBeGreaterThan(result.exchanges.length);
    if (h.loginPath) expect(exchanges.some((e) => e.path.startsWith(h.loginPath!))).toBe(true);
    const secrets = [tenant.secret];
    for (const r of server.requests) {
      for (const v of [r.headers.authorization, r.headers['x-feapi-token'], r.headers.cookie, r.headers['x-auth-token']]) if (v) secrets.push(v.replace(/^(Bearer|Basic) /, '').replace(/^JSESSIONID=/, ''));
    }
    const text = JSON.stringify(exchanges);
    for (const s of secrets) expect(text).not.toContain(s);
    for (const e of exchanges) expect(e).toEqual({ at: expect.any(String), method: expect.any(String), path: expect.any(String), status: expect.any(Number), summary: expect.any(String), durationMs: expect.any(Number) });
  });
});
