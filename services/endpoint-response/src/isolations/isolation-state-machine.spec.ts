import { DataSource } from 'typeorm';
import { EventEnvelope, IsolationCommandBody } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { EndpointResponseConfig } from '../config';
import { FakeEdr } from '../connectors/fake-edr.int-kit';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { IsolationEntity } from './isolation.entity';
import { IsolationStateMachine } from './isolation-state-machine';
import { IsolationsRepository, LogLine } from './isolations.repository';

const C1 = '00000000-0000-4000-8000-0000000000c1';
const C2 = '00000000-0000-4000-8000-0000000000c2';
const E1 = '00000000-0000-4000-8000-0000000000e1';
const ISO = '00000000-0000-4000-8000-00000000150a';
const INC = '00000000-0000-4000-8000-0000000001c1';

function setup(opts: { timeoutSeconds?: number } = {}) {
  const isolations = new Map<string, IsolationEntity>();
  const logs: { id: string; line: LogLine }[] = [];
  const endpoints = new Map<string, EndpointEntity>();
  const repo = {
    insert: jest.fn(async (_em: unknown, row: Partial<IsolationEntity>) => {
      if (isolations.has(row.id!)) return false;
      isolations.set(row.id!, { actionAttempts: 0, actionSentAt: null, releaseAttempts: 0, releaseSentAt: null, releaseRequestedAt: null, releaseRequestedBy: null, isolatedAt: null, releasedAt: null, leaseUntil: null, ...row } as IsolationEntity);
      return true;
    }),
    find: async (id: string) => (isolations.has(id) ? { ...isolations.get(id)! } : null),
    lock: async (_em: unknown, id: string) => (isolations.has(id) ? { ...isolations.get(id)! } : null),
    update: async (_em: unknown, id: string, patch: Partial<IsolationEntity>) => void Object.assign(isolations.get(id)!, patch),
    others: async (_em: unknown, endpointId: string, exceptId: string, statuses: string[]) => [...isolations.values()].filter((i) => i.endpointId === endpointId && i.id !== exceptId && statuses.includes(i.status)).map((i) => ({ ...i })),
    log: async (_em: unknown, id: string, lines: LogLine[]) => void logs.push(...lines.map((line) => ({ id, line }))),
    lease: async (id: string) => {
      const i = isolations.get(id);
      return i && (i.status === 'REQUESTED' || i.status === 'RELEASE_REQUESTED') ? { ...i } : null;
    },
    unlease: async () => undefined,
  };
  const endpointsRepo = {
    lock: async (_em: unknown, id: string) => endpoints.get(id) ?? null,
    find: async (id: string) => endpoints.get(id) ?? null,
    change: async (_em: unknown, e: EndpointEntity, patch: Partial<EndpointEntity>) => Object.assign(e, patch, { version: e.version + 1 }),
    setContainment: async (_em: unknown, e: EndpointEntity, containment: EndpointEntity['containment']) => void (e.containment = containment),
  };
  const events: { subject: string; body: any; customerId: string | null }[] = [];
  const outbox = { add: async (_em: unknown, def: { subject: string }, body: unknown, o: { customerId: string | null }) => void events.push({ subject: def.subject, body, customerId: o.customerId }) };
  const sent: { data: unknown; opts: Record<string, unknown> }[] = [];
  const jobs = { send: jest.fn(async (_job: unknown, data: unknown, o: Record<string, unknown>) => void sent.push({ data, opts: o })), work: jest.fn(), every: jest.fn() };
  const ds = { transaction: (work: (em: unknown) => Promise<unknown>) => work({ tx: true }) };
  const config = {
    ISOLATION_CONFIRM_TIMEOUT_SECONDS: opts.timeoutSeconds ?? 60,
    ISOLATION_POLL_INITIAL_MS: 5,
    ISOLATION_POLL_MAX_MS: 20,
    ISOLATION_INLINE_POLL_MS: 2000,
    ISOLATION_WORKERS: 2,
  } as unknown as EndpointResponseConfig;
  const edr = new FakeEdr({ latencyMs: 1, confirmAfterMs: 10 });
  const sut = new IsolationStateMachine(
    ds as unknown as DataSource,
    repo as unknown as IsolationsRepository,
    endpointsRepo as unknown as EndpointsRepository,
    edr.asFactory(),
    outbox as unknown as Outbox,
    jobs as unknown as JobQueue,
    config,
  );
  const addEndpoint = (over: Partial<EndpointEntity> = {}) => {
    const e = { id: E1, customerId: C1, hostName: 'pc-1', ipAddresses: [], os: null, edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: 'agent-1', source: 'EDR', isolated: false, containment: 'NORMAL', lastSeenAt: null, retired: false, version: 1, ...over } as EndpointEntity;
    endpoints.set(e.id, e);
    return e;
  };
  return { sut, ctx: { isolations, logs, endpoints, events, sent, jobs, edr, repo, addEndpoint } };
}

const command = (customerId: string | null, over: Partial<IsolationCommandBody> = {}): EventEnvelope<IsolationCommandBody> => ({
  eventId: '00000000-0000-4000-8000-0000000000ee',
  subject: 'incident.isolation.requested.v1',
  occurredAt: new Date().toISOString(),
  customerId,
  body: { isolationId: ISO, incidentId: INC, endpointId: E1, requestedBy: 'analyst-1', ...over },
});
const em = {} as never;

describe('IsolationStateMachine.request', () => {
  it('records a REQUESTED isolation with a deadline and queues its step in the same transaction', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    await sut.request(em, command(C1));
    expect(ctx.isolations.get(ISO)).toMatchObject({ status: 'REQUESTED', customerId: C1, agentId: 'agent-1', edrProduct: 'CROWDSTRIKE_FALCON', hostName: 'pc-1', requestedBy: 'analyst-1' });
    expect(ctx.isolations.get(ISO)!.deadlineAt!.getTime()).toBeGreaterThan(Date.now() + 59_000);
    expect(ctx.sent).toEqual([{ data: { isolationId: ISO }, opts: { singletonKey: ISO, em } }]);
    expect(ctx.events).toEqual([]);
  });

  it('does nothing for a repeated command under the same isolation id', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    await sut.request(em, command(C1));
    await sut.request(em, command(C1, { reason: 'again' }));
    expect(ctx.sent).toHaveLength(1);
    expect(ctx.logs).toHaveLength(1);
  });

  it.each([
    ['another customer’s endpoint', C2, { endpointId: E1 }, `endpoint ${E1} does not belong to customer ${C2}; not acted on`],
    ['an endpoint not in the inventory', C1, { endpointId: '00000000-0000-4000-8000-000000000999' }, 'endpoint 00000000-0000-4000-8000-000000000999 is not in the customer\'s inventory; not acted on'],
  ] as const)('fails %s at once, without a job or the EDR, and tells the incident', async (_, customerId, over, error) => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    await sut.request(em, command(customerId, over));
    expect(ctx.isolations.get(ISO)).toMatchObject({ status: 'FAILED', error, customerId, agentId: null, hostName: null });
    expect(ctx.sent).toEqual([]);
    expect(ctx.edr.actions).toEqual([]);
    expect(ctx.events).toEqual([{ subject: 'response.isolation.failed.v1', customerId, body: { isolationId: ISO, incidentId: INC, endpointId: over.endpointId, at: expect.any(String), error } }]);
  });

  it('fails an endpoint known only from alerts (no agent)', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint({ edrAgentId: null, edrProduct: null, source: 'ALERT' });
    await sut.request(em, command(C1));
    expect(ctx.isolations.get(ISO)!.error).toContain('pc-1 has no EDR agent known to Kanshi');
  });
});

describe('IsolationStateMachine.step', () => {
  it('contains once, polls until the EDR confirms, and publishes the isolation and the endpoint change', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    ctx.edr.addHost(C1, 'CROWDSTRIKE_FALCON', { agentId: 'agent-1', hostName: 'pc-1' });
    await sut.request(em, command(C1));
    await sut.step(ISO);
    expect(ctx.isolations.get(ISO)).toMatchObject({ status: 'ISOLATED', isolatedAt: expect.any(Date), deadlineAt: null });
    expect(ctx.edr.actions.map((a) => a.action)).toEqual(['contain']);
    expect(ctx.endpoints.get(E1)).toMatchObject({ isolated: true, containment: 'CONTAINED', version: 2 });
    expect(ctx.events.map((e) => e.subject)).toEqual(['response.endpoint.changed.v1', 'response.isolation.isolated.v1']);
    expect(ctx.events[1].body).toMatchObject({ vendor: 'CROWDSTRIKE_FALCON', hostName: 'pc-1' });
    // a later run changes nothing
    await sut.step(ISO);
    expect(ctx.edr.actions).toHaveLength(1);
  });

  it('fails a host the EDR does not know with "not found in <vendor>" and frees the endpoint', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    await sut.request(em, command(C1));
    await sut.step(ISO);
    expect(ctx.isolations.get(ISO)).toMatchObject({ status: 'FAILED', error: 'pc-1 (agent agent-1) not found in CrowdStrike Falcon' });
    expect(ctx.endpoints.get(E1)!.containment).toBe('NORMAL');
    expect(ctx.events.map((e) => e.subject)).toEqual(['response.isolation.failed.v1']);
  });

  it('fails on refused credentials with the vendor’s message and marks the connector unhealthy', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    ctx.edr.addHost(C1, 'CROWDSTRIKE_FALCON', { agentId: 'agent-1', hostName: 'pc-1' });
    ctx.edr.refuseCredentials(C1, 'CROWDSTRIKE_FALCON', 'invalid_client');
    await sut.request(em, command(C1));
    await sut.step(ISO);
    expect(ctx.isolations.get(ISO)).toMatchObject({ status: 'FAILED', error: 'CrowdStrike Falcon refused the credentials: invalid_client' });
    expect(ctx.edr.unhealthy).toEqual([{ customerId: C1, product: 'CROWDSTRIKE_FALCON', message: 'invalid_client' }]);
  });

  it('fails an isolation past its deadline without calling the EDR', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    await sut.request(em, command(C1));
    ctx.isolations.get(ISO)!.deadlineAt = new Date(Date.now() - 1);
    await sut.step(ISO);
    expect(ctx.isolations.get(ISO)).toMatchObject({ status: 'FAILED', error: 'CrowdStrike Falcon did not confirm the containment within 60 s' });
    expect(ctx.edr.actions).toEqual([]);
  });

  it('isolates a second isolation of a contained endpoint without a second vendor action', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    ctx.edr.addHost(C1, 'CROWDSTRIKE_FALCON', { agentId: 'agent-1', hostName: 'pc-1' });
    await sut.request(em, command(C1));
    await sut.step(ISO);
    const second = '00000000-0000-4000-8000-00000000150b';
    await sut.request(em, command(C1, { isolationId: second }));
    await sut.step(second);
    expect(ctx.isolations.get(second)!.status).toBe('ISOLATED');
    expect(ctx.edr.actions).toHaveLength(1);
  });

  it('releases: the EDR confirms NORMAL, the endpoint is back on the network', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    ctx.edr.addHost(C1, 'CROWDSTRIKE_FALCON', { agentId: 'agent-1', hostName: 'pc-1' });
    await sut.request(em, command(C1));
    await sut.step(ISO);
    await sut.requestRelease(em, { ...command(C1), subject: 'incident.isolation.release-requested.v1' });
    expect(ctx.isolations.get(ISO)!.status).toBe('RELEASE_REQUESTED');
    await sut.step(ISO);
    expect(ctx.isolations.get(ISO)).toMatchObject({ status: 'RELEASED', releasedAt: expect.any(Date) });
    expect(ctx.edr.actions.map((a) => a.action)).toEqual(['contain', 'release']);
    expect(ctx.endpoints.get(E1)).toMatchObject({ isolated: false, containment: 'NORMAL', version: 3 });
    expect(ctx.events.at(-1)!.subject).toBe('response.isolation.released.v1');
  });

  it('ignores a release for another customer’s isolation', async () => {
    const { sut, ctx } = setup();
    ctx.addEndpoint();
    ctx.edr.addHost(C1, 'CROWDSTRIKE_FALCON', { agentId: 'agent-1', hostName: 'pc-1' });
    await sut.request(em, command(C1));
    await sut.step(ISO);
    await sut.requestRelease(em, { ...command(C2), subject: 'incident.isolation.release-requested.v1' });
    expect(ctx.isolations.get(ISO)!.status).toBe('ISOLATED');
  });
});
