// The isolation state machine on the real PostgreSQL, NATS JetStream and job queue, with the real
// vendor adapters against the local EDR consoles (FakeCrowdStrikeServer, FakeCarbonBlackServer,
// FakeCybereasonServer, FakeFireEyeHxServer): the incident service's commands published on
// JetStream; a contain/release round trip per vendor; redelivery, concurrent requests for one
// endpoint, another customer's endpoint, a host the vendor does not know, a vendor that never
// confirms, refused credentials, and who sees which isolation through GraphQL.
import { randomUUID } from 'node:crypto';
import { EdrProductCode, EventEnvelope, IsolationCommandBody, IsolationReleaseRequested, IsolationRequested } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { eventually, FakeCrowdStrikeServer, FakeEdrServer, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { ADAPTERS, AdapterHarness } from '../connectors/edr-adapters.harness';

jest.setTimeout(120_000);

const servers = new Map<EdrProductCode, FakeEdrServer>();
// the first status read after an action still shows it pending: the state machine polls
for (const h of ADAPTERS) servers.set(h.product, h.server({ confirmAfterReads: 2 }));
// a console that accepts a containment and never confirms it (within the test)
const neverConfirms = new FakeCrowdStrikeServer({ confirmAfterMs: 3_600_000 });
const falcon = servers.get('CROWDSTRIKE_FALCON')!;
const harness = (p: EdrProductCode): AdapterHarness => ADAPTERS.find((a) => a.product === p)!;
let kit: SubgraphKit;
let bus: NatsBus;

beforeAll(async () => {
  await Promise.all([...servers.values(), neverConfirms].map((s) => s.start()));
  kit = await startSubgraph({
    service: 'endpoint-response',
    schema: 'endpoint_response',
    loadConfig: (env) =>
      // EDR_REFRESH_ON_CONFIGURE off: the spec registers its endpoints itself and checks every exchange of an isolation (a sync at once would log in first)
      loadConfig({ ...env, EDR_REFRESH_ON_CONFIGURE: 'false', ISOLATION_CONFIRM_TIMEOUT_SECONDS: '20', ISOLATION_POLL_INITIAL_MS: '50', ISOLATION_POLL_MAX_MS: '200', ISOLATION_INLINE_POLL_MS: '1000', JOBS_POLL_INTERVAL_MS: '500', EDR_MAX_RETRIES: '1', EDR_RETRY_BASE_MS: '20' }),
    module: (config, opts) => AppModule.forRoot(config, opts),
  });
  bus = kit.app.get(NatsBus);
  // The kit boots with messaging off (outbox rows stay to be read); consumers and jobs run here.
  await kit.app.get(ConsumerHost).start();
  await kit.app.get(JobQueue).start();
});

afterAll(async () => {
  if (kit) {
    await kit.app.get(ConsumerHost).stop();
    await kit.app.get(JobQueue).stop();
    for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) await bus.jsm.streams.delete(s.config.name);
    await kit.close();
  }
  await Promise.all([...servers.values(), neverConfirms].map((s) => s.stop()));
});

const REGISTER = `mutation($i: RegisterEndpointInput!) { registerEndpoint(input: $i) { id } }`;
const CONFIGURE = `mutation($i: ConfigureEdrConnectorInput!) { configureEdrConnector(input: $i) { id } }`;
const ISOLATION = `query($id: ID!) { isolation(id: $id) { id status error isolatedAt releasedAt incident { id }
  endpoint { id hostName isolated } log { at kind actor status text method path httpStatus durationMs } } }`;

// A customer with a tenant at the vendor's console and its connector configured by provider staff.
async function customerAt(product: EdrProductCode = 'CROWDSTRIKE_FALCON', opts: { server?: FakeEdrServer; wrongSecret?: boolean; partnerId?: string } = {}) {
  const server = opts.server ?? servers.get(product)!;
  const { customerId } = await kit.createCustomer(opts.partnerId ? { partnerId: opts.partnerId } : {});
  const tenant = server.addTenant();
  await kit.ok('engineer', CONFIGURE, {
    i: { customerId, product, baseUrl: server.url, clientId: tenant.clientId, secret: opts.wrongSecret ? `${tenant.secret}-revoked` : tenant.secret, ...(product === 'CARBON_BLACK' ? { orgKey: tenant.orgKey } : {}) },
  });
  return { customerId, tenant, server, product };
}

type Customer = Awaited<ReturnType<typeof customerAt>>;

async function endpointOf(c: Customer, opts: { atVendor?: boolean; hostName?: string } = {}) {
  const hostName = opts.hostName ?? `PC-${randomUUID().slice(0, 8).toUpperCase()}`;
  const agentId = opts.atVendor === false ? harness(c.product).unknownAgentId : c.server.addHost(c.tenant.id, { hostName, ips: ['10.0.0.7'] }).agentId;
  const { registerEndpoint } = await kit.ok('engineer', REGISTER, { i: { customerId: c.customerId, hostName, edrProduct: c.product, edrAgentId: agentId } });
  return { endpointId: registerEndpoint.id as string, agentId, hostName };
}

function command(customerId: string, endpointId: string, over: Partial<IsolationCommandBody> = {}): EventEnvelope<IsolationCommandBody> {
  return {
    eventId: randomUUID(),
    subject: IsolationRequested.subject,
    occurredAt: new Date().toISOString(),
    customerId,
    body: { isolationId: randomUUID(), incidentId: randomUUID(), endpointId, reason: 'HIGH: ransomware beaconing', requestedBy: 'analyst-1', ...over },
  };
}

async function publish(e: EventEnvelope<IsolationCommandBody>, def = IsolationRequested, msgID: string | undefined = e.eventId): Promise<void> {
  await bus.js.publish(bus.subjectOf(def), Buffer.from(JSON.stringify({ ...e, subject: def.subject })), msgID ? { msgID } : {});
}

const release = (cmd: EventEnvelope<IsolationCommandBody>, requestedBy = 'customer-admin-7') =>
  publish({ ...command(cmd.customerId!, cmd.body.endpointId, { isolationId: cmd.body.isolationId, incidentId: cmd.body.incidentId, requestedBy }), subject: IsolationReleaseRequested.subject }, IsolationReleaseRequested);

const statusOf = async (id: string): Promise<string | undefined> => (await kit.ds.query(`SELECT status FROM endpoint_response.isolation WHERE id = $1`, [id]))[0]?.status;
const waitFor = (id: string, status: string, timeoutMs = 40_000) => eventually(async () => expect(await statusOf(id)).toBe(status), { timeoutMs, intervalMs: 100 });
const isolation = async (id: string, customerId: string) => (await kit.ok('customer_viewer', ISOLATION, { id }, { customerId })).isolation;

type LogLine = { kind: string; status: string | null; actor: string; text: string; method: string | null; path: string | null; httpStatus: number | null };

describe('an isolation through each vendor’s API', () => {
  it.each(ADAPTERS.map((h) => [h.label, h] as const))('%s: isolates, logs every exchange (token and lookups too) and state, tells the incident and the inventory; then releases', async (_label, h) => {
    const mark = servers.get(h.product)!.requests.length;
    const c = await customerAt(h.product);
    const ep = await endpointOf(c);
    const cmd = command(c.customerId, ep.endpointId);
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'ISOLATED');
    expect(c.server.actionCount(ep.agentId, 'contain')).toBe(1);

    const seen = await isolation(cmd.body.isolationId, c.customerId);
    expect(seen).toMatchObject({ id: cmd.body.isolationId, status: 'ISOLATED', error: null, incident: { id: cmd.body.incidentId }, endpoint: { id: ep.endpointId, hostName: ep.hostName, isolated: true } });
    const log = seen.log as LogLine[];
    expect(log[0]).toMatchObject({ kind: 'STATE', status: 'REQUESTED', actor: 'analyst-1', text: expect.stringContaining('ransomware beaconing') });
    expect(log.at(-1)).toMatchObject({ kind: 'STATE', status: 'ISOLATED', actor: 'system:endpoint-response', text: expect.stringMatching(new RegExp(`confirmed the containment of ${ep.hostName}$`)) });
    const vendor = log.filter((l) => l.kind === 'VENDOR');
    // the token request, the action and the status reads until it was confirmed
    if (h.loginPath) {
      // The isolation logs its own token request; when the start-up inventory sync (late on a
      // loaded machine) fetched the token first, the isolation reused it and had none to log.
      const atServer = c.server.requests.slice(mark);
      const logins = atServer.filter((r) => r.path.startsWith(h.loginPath!));
      const loggedLogins = vendor.filter((l) => l.path!.startsWith(h.loginPath!));
      expect(logins.length).toBeGreaterThanOrEqual(1);
      expect(loggedLogins.length).toBeLessThanOrEqual(logins.length);
      if (loggedLogins.length === 0) {
        const firstExchange = atServer.find((r) => r.path === vendor[0].path && r.method === vendor[0].method)!;
        expect(logins[0].seq).toBeLessThan(firstExchange.seq);
      }
    }
    expect(vendor.filter((l) => l.method !== 'GET' || !l.path!.includes('token')).length).toBeGreaterThanOrEqual(3);
    expect(vendor.every((l) => l.httpStatus !== null && l.httpStatus < 400)).toBe(true);
    expect(JSON.stringify(log)).not.toContain(c.tenant.secret);

    expect((await kit.outbox('response.isolation.isolated.v1', c.customerId)).map((e) => e.body)).toEqual([
      { isolationId: cmd.body.isolationId, incidentId: cmd.body.incidentId, endpointId: ep.endpointId, at: expect.any(String), vendor: h.product, hostName: ep.hostName },
    ]);
    expect((await kit.outbox('response.endpoint.changed.v1', c.customerId)).at(-1)!.body).toMatchObject({ endpointId: ep.endpointId, isolated: true, agentId: ep.agentId, edrProduct: h.product });

    await release(cmd);
    await waitFor(cmd.body.isolationId, 'RELEASED');
    expect(c.server.actionCount(ep.agentId, 'release')).toBe(1);
    expect(c.server.host(ep.agentId)!.state).toBe('normal');
    const released = await isolation(cmd.body.isolationId, c.customerId);
    expect(released).toMatchObject({ status: 'RELEASED', releasedAt: expect.any(String), endpoint: { isolated: false } });
    expect((released.log as LogLine[]).filter((l) => l.kind === 'STATE').map((l) => [l.status, l.actor])).toEqual([
      ['REQUESTED', 'analyst-1'],
      ['ISOLATED', 'system:endpoint-response'],
      ['RELEASE_REQUESTED', 'customer-admin-7'],
      ['RELEASED', 'system:endpoint-response'],
    ]);
    expect(await kit.outbox('response.isolation.released.v1', c.customerId)).toHaveLength(1);
    expect(c.server.duplicateActions().filter((a) => a.agentId === ep.agentId)).toEqual([]);
  });

  it('acts once on a redelivered event and on a repeated command under the same isolation id', async () => {
    const c = await customerAt();
    const ep = await endpointOf(c);
    const cmd = command(c.customerId, ep.endpointId);
    // the same event twice without JetStream's de-duplication (the inbox stops it), and the
    // command again as a new event (the isolation id stops it)
    await publish(cmd, IsolationRequested, undefined);
    await publish(cmd, IsolationRequested, undefined);
    await publish({ ...cmd, eventId: randomUUID() });
    await waitFor(cmd.body.isolationId, 'ISOLATED');
    await publish({ ...cmd, eventId: randomUUID() });
    await new Promise((r) => setTimeout(r, 1500));
    expect(falcon.actionCount(ep.agentId)).toBe(1);
    expect(falcon.duplicateActions().filter((a) => a.agentId === ep.agentId)).toEqual([]);
    expect(await statusOf(cmd.body.isolationId)).toBe('ISOLATED');
    expect(await kit.outbox('response.isolation.isolated.v1', c.customerId)).toHaveLength(1);
  });

  it('makes one vendor action for concurrent isolations of one endpoint, and isolates all', async () => {
    const c = await customerAt();
    const ep = await endpointOf(c);
    const cmds = [1, 2, 3].map(() => command(c.customerId, ep.endpointId));
    await Promise.all(cmds.map((x) => publish(x)));
    for (const x of cmds) await waitFor(x.body.isolationId, 'ISOLATED');
    expect(falcon.actionCount(ep.agentId)).toBe(1);
    expect(await kit.outbox('response.isolation.isolated.v1', c.customerId)).toHaveLength(3);

    // releasing one keeps the endpoint isolated for the others, without asking the vendor
    await release(cmds[0]);
    await waitFor(cmds[0].body.isolationId, 'RELEASED');
    expect(falcon.actionCount(ep.agentId)).toBe(1);
    expect(falcon.host(ep.agentId)!.state).toBe('contained');
    expect((await isolation(cmds[0].body.isolationId, c.customerId)).log.at(-1).text).toContain('the endpoint stays isolated for isolation');
    expect((await isolation(cmds[1].body.isolationId, c.customerId)).endpoint.isolated).toBe(true);
    expect(falcon.duplicateActions().filter((a) => a.agentId === ep.agentId)).toEqual([]);
  });
});

describe('what is never acted on, and what fails', () => {
  it('refuses another customer’s endpoint without asking the EDR, and says why', async () => {
    const mine = await customerAt();
    const theirs = await customerAt();
    const ep = await endpointOf(theirs);
    const cmd = command(mine.customerId, ep.endpointId);
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'FAILED');
    expect(falcon.actionCount(ep.agentId)).toBe(0);
    const [failed] = await kit.outbox('response.isolation.failed.v1', mine.customerId);
    expect(failed.body).toEqual({ isolationId: cmd.body.isolationId, incidentId: cmd.body.incidentId, endpointId: ep.endpointId, at: expect.any(String), error: `endpoint ${ep.endpointId} does not belong to customer ${mine.customerId}; not acted on` });
    // nothing of the other customer's endpoint shows through this customer's isolation
    expect(await isolation(cmd.body.isolationId, mine.customerId)).toMatchObject({ status: 'FAILED', endpoint: null });
  });

  it('fails an endpoint not in the inventory, and one known only from alerts (no agent)', async () => {
    const { customerId } = await customerAt();
    const missing = command(customerId, randomUUID());
    await publish(missing);
    await waitFor(missing.body.isolationId, 'FAILED');
    expect((await isolation(missing.body.isolationId, customerId)).error).toBe(`endpoint ${missing.body.endpointId} is not in the customer's inventory; not acted on`);
    const [learned] = await kit.ds.query(`INSERT INTO endpoint_response.endpoint (customer_id, host_name, source) VALUES ($1, 'kiosk-3', 'ALERT') RETURNING id`, [customerId]);
    const noAgent = command(customerId, learned.id);
    await publish(noAgent);
    await waitFor(noAgent.body.isolationId, 'FAILED');
    expect((await isolation(noAgent.body.isolationId, customerId)).error).toContain('kiosk-3 has no EDR agent known to Kanshi');
  });

  it('fails a host the vendor does not know with "not found in <vendor>", and tells the incident', async () => {
    const c = await customerAt();
    const ep = await endpointOf(c, { atVendor: false });
    const cmd = command(c.customerId, ep.endpointId);
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'FAILED');
    const error = `${ep.hostName} (agent ${ep.agentId}) not found in CrowdStrike Falcon`;
    const failed = await isolation(cmd.body.isolationId, c.customerId);
    expect(failed.error).toBe(error);
    // the vendor's 404 is in the log
    expect((failed.log as LogLine[]).some((l) => l.kind === 'VENDOR' && l.httpStatus === 404)).toBe(true);
    expect((await kit.outbox('response.isolation.failed.v1', c.customerId)).map((e) => e.body.error)).toEqual([error]);
    // the endpoint is free for another attempt
    expect((await kit.ds.query(`SELECT containment, isolated FROM endpoint_response.endpoint WHERE id = $1`, [ep.endpointId]))[0]).toEqual({ containment: 'NORMAL', isolated: false });
  });

  it('fails an isolation the vendor never confirms at its deadline, never leaving it REQUESTED', async () => {
    const c = await customerAt('CROWDSTRIKE_FALCON', { server: neverConfirms });
    const ep = await endpointOf(c);
    const cmd = command(c.customerId, ep.endpointId);
    const started = Date.now();
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'FAILED', 50_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20_000);
    expect((await isolation(cmd.body.isolationId, c.customerId)).error).toBe('CrowdStrike Falcon did not confirm the containment within 20 s');
    expect(neverConfirms.actionCount(ep.agentId, 'contain')).toBe(1);
    expect(await kit.outbox('response.isolation.failed.v1', c.customerId)).toHaveLength(1);
  });

  it('fails on refused credentials with the vendor’s message, marks the connector unhealthy and shows it to provider staff only', async () => {
    const c = await customerAt('CROWDSTRIKE_FALCON', { wrongSecret: true });
    const ep = await endpointOf(c);
    const cmd = command(c.customerId, ep.endpointId);
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'FAILED');
    const error = (await isolation(cmd.body.isolationId, c.customerId)).error as string;
    expect(error).toMatch(/^CrowdStrike Falcon refused the credentials: Failed to issue access token - Not Authorized/);
    expect(error).not.toContain(c.tenant.secret);
    expect(falcon.actionCount(ep.agentId)).toBe(0);
    const connectors = await kit.ok('analyst', `query($c: ID!) { edrConnectors(customerId: $c) { health lastError } }`, { c: c.customerId });
    expect(connectors.edrConnectors[0]).toMatchObject({ health: 'UNHEALTHY', lastError: expect.stringContaining('Not Authorized') });
    const q = `{ unhealthyEdrConnectors { customerId edrProduct message since } }`;
    expect((await kit.ok('engineer', q)).unhealthyEdrConnectors).toContainEqual({ customerId: c.customerId, edrProduct: 'CROWDSTRIKE_FALCON', message: expect.stringContaining('Not Authorized'), since: expect.any(String) });
    const r = await kit.gql('customer_admin', q, {}, { customerId: c.customerId });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});

describe('who sees which isolation', () => {
  const LIST = `query($c: ID, $a: Boolean) { isolations(customerId: $c, active: $a) { id status } }`;

  it('shows a customer its own, a partner its customers’, staff all; another tenant’s id reads as null, also through _entities', async () => {
    const partnerId = randomUUID();
    const a = await customerAt('CROWDSTRIKE_FALCON', { partnerId });
    const b = await customerAt('CROWDSTRIKE_FALCON', { server: neverConfirms });
    const epA = await endpointOf(a);
    const epB = await endpointOf(b);
    const ofA = command(a.customerId, epA.endpointId);
    const ofB = command(b.customerId, epB.endpointId);
    await publish(ofA);
    await publish(ofB);
    await waitFor(ofA.body.isolationId, 'ISOLATED');

    const ids = (r: { isolations: { id: string }[] }) => r.isolations.map((i) => i.id);
    expect(ids(await kit.ok('customer_viewer', LIST, {}, { customerId: a.customerId }))).toEqual([ofA.body.isolationId]);
    expect(ids(await kit.ok('customer_viewer', LIST, { c: b.customerId }, { customerId: a.customerId }))).toEqual([]);
    expect(ids(await kit.ok('partner_admin', LIST, {}, { partnerId }))).toEqual([ofA.body.isolationId]);
    expect(ids(await kit.ok('analyst', LIST, { c: b.customerId, a: true }))).toEqual([ofB.body.isolationId]);
    expect(ids(await kit.ok('analyst', LIST, { c: a.customerId, a: false }))).toEqual([]);
    expect(await isolation(ofB.body.isolationId, a.customerId)).toBeNull();
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Isolation { id status } } }`;
    const { _entities } = await kit.ok('customer_admin', entities, { r: [{ __typename: 'Isolation', id: ofA.body.isolationId }, { __typename: 'Isolation', id: ofB.body.isolationId }] }, { customerId: a.customerId });
    expect(_entities).toEqual([{ id: ofA.body.isolationId, status: 'ISOLATED' }, null]);
    const bad = await kit.gql('analyst', LIST, { c: 'not-a-uuid' });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0].message).toContain('customerId');
  });
});
