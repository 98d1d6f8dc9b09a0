// The isolation state machine on the real PostgreSQL, NATS JetStream and job queue: the incident
// service's commands published on JetStream, the EDR an in-memory fake behind the connector seam
// (the vendor adapters and their local servers come with the connectors' branch). Redelivery,
// concurrent requests for one endpoint, another customer's endpoint, a host the EDR does not know,
// an EDR that never confirms, refused credentials, and who sees which isolation through GraphQL.
import { randomUUID } from 'node:crypto';
import { EventEnvelope, IsolationCommandBody, IsolationReleaseRequested, IsolationRequested } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { eventually, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { FakeEdr } from '../connectors/fake-edr.int-kit';

jest.setTimeout(90_000);

const edr = new FakeEdr({ latencyMs: 20, confirmAfterMs: 100 });
let kit: SubgraphKit;
let bus: NatsBus;

beforeAll(async () => {
  kit = await startSubgraph({
    service: 'endpoint-response',
    schema: 'endpoint_response',
    loadConfig: (env) =>
      loadConfig({ ...env, ISOLATION_CONFIRM_TIMEOUT_SECONDS: '3', ISOLATION_POLL_INITIAL_MS: '50', ISOLATION_POLL_MAX_MS: '200', ISOLATION_INLINE_POLL_MS: '1000', JOBS_POLL_INTERVAL_MS: '500' }),
    module: (config, opts) => AppModule.forRoot(config, { ...opts, edrConnectors: edr }),
  });
  bus = kit.app.get(NatsBus);
  // The kit boots with messaging off (outbox rows stay to be read); consumers and jobs run here.
  await kit.app.get(ConsumerHost).start();
  await kit.app.get(JobQueue).start();
});

afterAll(async () => {
  if (!kit) return;
  await kit.app.get(ConsumerHost).stop();
  await kit.app.get(JobQueue).stop();
  for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) await bus.jsm.streams.delete(s.config.name);
  await kit.close();
});

const REGISTER = `mutation($i: RegisterEndpointInput!) { registerEndpoint(input: $i) { id } }`;
const ISOLATION = `query($id: ID!) { isolation(id: $id) { id status error isolatedAt releasedAt incident { id }
  endpoint { id hostName isolated } log { at kind actor status text method path httpStatus durationMs } } }`;

async function endpointOf(customerId: string, opts: { atVendor?: boolean; confirmAfterMs?: number | null; hostName?: string } = {}) {
  const agentId = `agent-${randomUUID()}`;
  const hostName = opts.hostName ?? `pc-${agentId.slice(6, 14)}`;
  const { registerEndpoint } = await kit.ok('engineer', REGISTER, { i: { customerId, hostName, edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: agentId } });
  if (opts.atVendor !== false) edr.addHost(customerId, 'CROWDSTRIKE_FALCON', { agentId, hostName }, 'confirmAfterMs' in opts ? { confirmAfterMs: opts.confirmAfterMs } : {});
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

const statusOf = async (id: string): Promise<string | undefined> => (await kit.ds.query(`SELECT status FROM endpoint_response.isolation WHERE id = $1`, [id]))[0]?.status;
const waitFor = (id: string, status: string, timeoutMs = 15_000) => eventually(async () => expect(await statusOf(id)).toBe(status), { timeoutMs, intervalMs: 100 });
const isolation = async (id: string, customerId: string) => (await kit.ok('customer_viewer', ISOLATION, { id }, { customerId })).isolation;

describe('an isolation through the EDR', () => {
  it('isolates, logs every exchange and state, tells the incident and the inventory; then releases', async () => {
    const { customerId } = await kit.createCustomer();
    const ep = await endpointOf(customerId);
    const cmd = command(customerId, ep.endpointId);
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'ISOLATED');
    expect(edr.actions.filter((a) => a.agentId === ep.agentId).map((a) => a.action)).toEqual(['contain']);

    const seen = await isolation(cmd.body.isolationId, customerId);
    expect(seen).toMatchObject({ id: cmd.body.isolationId, status: 'ISOLATED', error: null, incident: { id: cmd.body.incidentId }, endpoint: { id: ep.endpointId, hostName: ep.hostName, isolated: true } });
    expect(seen.log.map((l: { kind: string; status: string | null }) => [l.kind, l.status])).toEqual([['STATE', 'REQUESTED'], ['VENDOR', null], ['NOTE', null], ['STATE', 'ISOLATED']]);
    expect(seen.log[0]).toMatchObject({ actor: 'analyst-1', text: expect.stringContaining('ransomware beaconing') });
    expect(seen.log[1]).toMatchObject({ kind: 'VENDOR', method: 'POST', path: '/devices/actions?action=contain', httpStatus: 202, durationMs: 20 });
    expect(seen.log[3]).toMatchObject({ actor: 'system:endpoint-response', text: `CrowdStrike Falcon confirmed the containment of ${ep.hostName}` });

    expect((await kit.outbox('response.isolation.isolated.v1', customerId)).map((e) => e.body)).toEqual([
      { isolationId: cmd.body.isolationId, incidentId: cmd.body.incidentId, endpointId: ep.endpointId, at: expect.any(String), vendor: 'CROWDSTRIKE_FALCON', hostName: ep.hostName },
    ]);
    const changes = (await kit.outbox('response.endpoint.changed.v1', customerId)).map((e) => e.body);
    expect(changes.map((c) => [c.version, c.isolated])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(changes.at(-1)).toMatchObject({ endpointId: ep.endpointId, isolated: true, agentId: ep.agentId, edrProduct: 'CROWDSTRIKE_FALCON' });

    await publish({ ...command(customerId, ep.endpointId, { isolationId: cmd.body.isolationId, incidentId: cmd.body.incidentId, requestedBy: 'customer-admin-7' }), subject: IsolationReleaseRequested.subject }, IsolationReleaseRequested);
    await waitFor(cmd.body.isolationId, 'RELEASED');
    expect(edr.actions.filter((a) => a.agentId === ep.agentId).map((a) => a.action)).toEqual(['contain', 'release']);
    const released = await isolation(cmd.body.isolationId, customerId);
    expect(released).toMatchObject({ status: 'RELEASED', releasedAt: expect.any(String), endpoint: { isolated: false } });
    expect(released.log.filter((l: { kind: string }) => l.kind === 'STATE').map((l: { status: string; actor: string }) => [l.status, l.actor])).toEqual([
      ['REQUESTED', 'analyst-1'],
      ['ISOLATED', 'system:endpoint-response'],
      ['RELEASE_REQUESTED', 'customer-admin-7'],
      ['RELEASED', 'system:endpoint-response'],
    ]);
    expect(await kit.outbox('response.isolation.released.v1', customerId)).toHaveLength(1);
    expect((await kit.outbox('response.endpoint.changed.v1', customerId)).at(-1)!.body).toMatchObject({ isolated: false });
  });

  it('acts once on a redelivered event and on a repeated command under the same isolation id', async () => {
    const { customerId } = await kit.createCustomer();
    const ep = await endpointOf(customerId);
    const cmd = command(customerId, ep.endpointId);
    // the same event twice without JetStream's de-duplication (the inbox stops it), and the
    // command again as a new event (the isolation id stops it)
    await publish(cmd, IsolationRequested, undefined);
    await publish(cmd, IsolationRequested, undefined);
    await publish({ ...cmd, eventId: randomUUID() });
    await waitFor(cmd.body.isolationId, 'ISOLATED');
    await publish({ ...cmd, eventId: randomUUID() });
    await new Promise((r) => setTimeout(r, 1500));
    expect(edr.actionsOn(ep.agentId)).toBe(1);
    expect(await statusOf(cmd.body.isolationId)).toBe('ISOLATED');
    expect(await kit.outbox('response.isolation.isolated.v1', customerId)).toHaveLength(1);
  });

  it('makes one vendor action for concurrent isolations of one endpoint, and isolates both', async () => {
    const { customerId } = await kit.createCustomer();
    const ep = await endpointOf(customerId, { confirmAfterMs: 600 });
    const cmds = [1, 2, 3].map(() => command(customerId, ep.endpointId));
    await Promise.all(cmds.map((c) => publish(c)));
    for (const c of cmds) await waitFor(c.body.isolationId, 'ISOLATED');
    expect(edr.actionsOn(ep.agentId)).toBe(1);
    expect(await kit.outbox('response.isolation.isolated.v1', customerId)).toHaveLength(3);

    // releasing one keeps the endpoint isolated for the others, without asking the EDR
    await publish({ ...cmds[0], eventId: randomUUID(), subject: IsolationReleaseRequested.subject }, IsolationReleaseRequested);
    await waitFor(cmds[0].body.isolationId, 'RELEASED');
    expect(edr.actionsOn(ep.agentId)).toBe(1);
    const log = (await isolation(cmds[0].body.isolationId, customerId)).log;
    expect(log.at(-1).text).toContain('the endpoint stays isolated for isolation');
    expect((await isolation(cmds[1].body.isolationId, customerId)).endpoint.isolated).toBe(true);
  });
});

describe('what is never acted on, and what fails', () => {
  it('refuses another customer’s endpoint without asking the EDR, and says why', async () => {
    const mine = await kit.createCustomer();
    const theirs = await kit.createCustomer();
    const ep = await endpointOf(theirs.customerId);
    const cmd = command(mine.customerId, ep.endpointId);
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'FAILED');
    expect(edr.actionsOn(ep.agentId)).toBe(0);
    const [failed] = await kit.outbox('response.isolation.failed.v1', mine.customerId);
    expect(failed.body).toEqual({ isolationId: cmd.body.isolationId, incidentId: cmd.body.incidentId, endpointId: ep.endpointId, at: expect.any(String), error: `endpoint ${ep.endpointId} does not belong to customer ${mine.customerId}; not acted on` });
    // nothing of the other customer's endpoint shows through this customer's isolation
    expect(await isolation(cmd.body.isolationId, mine.customerId)).toMatchObject({ status: 'FAILED', endpoint: null });
  });

  it('fails an endpoint not in the inventory, and one known only from alerts (no agent)', async () => {
    const { customerId } = await kit.createCustomer();
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

  it('fails a host the EDR does not know with "not found in <vendor>", and tells the incident', async () => {
    const { customerId } = await kit.createCustomer();
    const ep = await endpointOf(customerId, { atVendor: false });
    const cmd = command(customerId, ep.endpointId);
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'FAILED');
    const error = `${ep.hostName} (agent ${ep.agentId}) not found in CrowdStrike Falcon`;
    expect((await isolation(cmd.body.isolationId, customerId)).error).toBe(error);
    expect((await kit.outbox('response.isolation.failed.v1', customerId)).map((e) => e.body.error)).toEqual([error]);
    // the endpoint is free for another attempt
    expect((await kit.ds.query(`SELECT containment, isolated FROM endpoint_response.endpoint WHERE id = $1`, [ep.endpointId]))[0]).toEqual({ containment: 'NORMAL', isolated: false });
  });

  it('fails an isolation the EDR never confirms at its deadline, never leaving it REQUESTED', async () => {
    const { customerId } = await kit.createCustomer();
    const ep = await endpointOf(customerId, { confirmAfterMs: null });
    const cmd = command(customerId, ep.endpointId);
    const started = Date.now();
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'FAILED', 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect((await isolation(cmd.body.isolationId, customerId)).error).toBe('CrowdStrike Falcon did not confirm the containment within 3 s');
    expect(edr.actionsOn(ep.agentId)).toBe(1);
    expect(await kit.outbox('response.isolation.failed.v1', customerId)).toHaveLength(1);
  });

  it('fails on refused credentials with the vendor’s message, marks the connector unhealthy and shows it to provider staff only', async () => {
    const { customerId } = await kit.createCustomer();
    const ep = await endpointOf(customerId);
    edr.refuseCredentials(customerId, 'CROWDSTRIKE_FALCON', 'access denied, invalid bearer token');
    const cmd = command(customerId, ep.endpointId);
    await publish(cmd);
    await waitFor(cmd.body.isolationId, 'FAILED');
    expect((await isolation(cmd.body.isolationId, customerId)).error).toBe('CrowdStrike Falcon refused the credentials: access denied, invalid bearer token');
    expect(edr.unhealthy).toContainEqual({ customerId, product: 'CROWDSTRIKE_FALCON', message: 'access denied, invalid bearer token' });
    const q = `{ unhealthyEdrConnectors { customerId edrProduct message since } }`;
    expect((await kit.ok('engineer', q)).unhealthyEdrConnectors).toContainEqual({ customerId, edrProduct: 'CROWDSTRIKE_FALCON', message: 'access denied, invalid bearer token', since: expect.any(String) });
    const r = await kit.gql('customer_admin', q, {}, { customerId });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});

describe('who sees which isolation', () => {
  const LIST = `query($c: ID, $a: Boolean) { isolations(customerId: $c, active: $a) { id status } }`;

  it('shows a customer its own, a partner its customers’, staff all; another tenant’s id reads as null, also through _entities', async () => {
    const partnerId = randomUUID();
    const a = await kit.createCustomer({ partnerId });
    const b = await kit.createCustomer();
    const epA = await endpointOf(a.customerId);
    const epB = await endpointOf(b.customerId, { confirmAfterMs: null });
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
