// The endpoint inventory on the real PostgreSQL and NATS: EDR syncs upsert hosts and publish
// response.endpoint.changed.v1 with increasing versions, alerts add endpoints without an agent
// that a later sync completes, contracts' events say who is MDR, and the daily count leaves out a
// retired endpoint (last seen more than 7 days before), so it stops being billed.
import { randomUUID } from 'node:crypto';
import { ContractActivated, ContractEntitlementsBody, ContractTerminated, EventDefinition, EventEnvelope, VerdictIssuedV2, VerdictIssuedV2Body } from '@kanshi/events';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { eventually, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { FakeEdr } from '../connectors/fake-edr.int-kit';
import { EndpointCountService } from './endpoint-count.service';
import { InventorySyncService } from './inventory-sync.service';

jest.setTimeout(60_000);

const edr = new FakeEdr({ latencyMs: 1 });
let kit: SubgraphKit;
let bus: NatsBus;
let sync: InventorySyncService;
let count: EndpointCountService;
const DAY = 86_400_000;

beforeAll(async () => {
  kit = await startSubgraph({ service: 'endpoint-response', schema: 'endpoint_response', loadConfig, module: (config, opts) => AppModule.forRoot(config, { ...opts, edrConnectors: edr.asFactory() }) });
  bus = kit.app.get(NatsBus);
  await kit.app.get(ConsumerHost).start();
  sync = kit.app.get(InventorySyncService);
  count = kit.app.get(EndpointCountService);
});

afterAll(async () => {
  if (!kit) return;
  await kit.app.get(ConsumerHost).stop();
  for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) await bus.jsm.streams.delete(s.config.name);
  await kit.close();
});

async function publish<T>(def: EventDefinition<T>, customerId: string, body: T, occurredAt = new Date().toISOString()): Promise<void> {
  const e: EventEnvelope<T> = { eventId: randomUUID(), subject: def.subject, occurredAt, customerId, body };
  await bus.js.publish(bus.subjectOf(def), Buffer.from(JSON.stringify(e)), { msgID: e.eventId });
}

function contract(customerId: string, over: Partial<ContractEntitlementsBody> = {}): ContractEntitlementsBody {
  return {
    contractId: randomUUID(),
    customerId,
    partnerId: null,
    plan: 'MDR',
    serviceHours: 'ALWAYS',
    options: [],
    livenessMonitoring: false,
    monitoredProducts: ['CROWDSTRIKE_FALCON'],
    escalationContacts: [],
    isolationPreApproved: true,
    logRetentionMonths: 12,
    status: 'active',
    startDate: '2026-01-01',
    endDate: null,
    ...over,
  };
}

const rows = (customerId: string) =>
  kit.ds.query(`SELECT host_name, ip_addresses, os, edr_product, edr_agent_id, source, version, retired FROM endpoint_response.endpoint WHERE customer_id = $1 ORDER BY host_name`, [customerId]);

describe('inventory sync from the EDR', () => {
  it('adds the EDR’s hosts, publishes each change once with the next version, and completes an endpoint learned from an alert', async () => {
    const { customerId } = await kit.createCustomer();
    // an alert names ws-12 before any sync: learned without an agent
    const verdict: Partial<VerdictIssuedV2Body> = { product: 'FIREEYE_NX', endpoints: [{ hostName: 'WS-12', ip: '10.1.0.12' }, { hostName: null, ip: '10.1.0.99' }] };
    await publish(VerdictIssuedV2, customerId, verdictBody(verdict));
    await eventually(async () => expect(await rows(customerId)).toHaveLength(2));
    expect(await rows(customerId)).toEqual([
      { host_name: '10.1.0.99', ip_addresses: ['10.1.0.99'], os: null, edr_product: null, edr_agent_id: null, source: 'ALERT', version: 1, retired: false },
      { host_name: 'WS-12', ip_addresses: ['10.1.0.12'], os: null, edr_product: null, edr_agent_id: null, source: 'ALERT', version: 1, retired: false },
    ]);

    const seen = new Date(Date.now() - 3_600_000).toISOString();
    edr.addHost(customerId, 'CROWDSTRIKE_FALCON', { agentId: 'cs-ws12', hostName: 'ws-12', ips: ['10.1.0.12', '192.168.5.12'], os: 'Windows 11', lastSeenAt: seen });
    edr.addHost(customerId, 'CROWDSTRIKE_FALCON', { agentId: 'cs-srv1', hostName: 'srv-1', ips: ['10.1.0.2'], os: 'Windows Server 2022', lastSeenAt: seen });
    expect(await sync.syncConnector(customerId, 'CROWDSTRIKE_FALCON')).toEqual({ changed: 2, hosts: 2 });
    expect(await rows(customerId)).toEqual([
      expect.objectContaining({ host_name: '10.1.0.99', version: 1 }),
      { host_name: 'srv-1', ip_addresses: ['10.1.0.2'], os: 'Windows Server 2022', edr_product: 'CROWDSTRIKE_FALCON', edr_agent_id: 'cs-srv1', source: 'EDR', version: 1, retired: false },
      { host_name: 'ws-12', ip_addresses: ['10.1.0.12', '192.168.5.12'], os: 'Windows 11', edr_product: 'CROWDSTRIKE_FALCON', edr_agent_id: 'cs-ws12', source: 'EDR', version: 2, retired: false },
    ]);
    // nothing new: nothing written, nothing published
    expect(await sync.syncConnector(customerId, 'CROWDSTRIKE_FALCON')).toEqual({ changed: 0, hosts: 2 });

    const events = (await kit.outbox('response.endpoint.changed.v1', customerId)).map((e) => e.body);
    expect(events.map((e) => [e.hostName, e.version, e.agentId])).toEqual([
      ['WS-12', 1, null],
      ['10.1.0.99', 1, null],
      ['ws-12', 2, 'cs-ws12'],
      ['srv-1', 1, 'cs-srv1'],
    ]);
    expect(events[2]).toEqual({ endpointId: expect.any(String), version: 2, hostName: 'ws-12', ips: ['10.1.0.12', '192.168.5.12'], os: 'Windows 11', edrProduct: 'CROWDSTRIKE_FALCON', agentId: 'cs-ws12', lastSeenAt: seen, isolated: false, retired: false });

    // the new endpoints read through GraphQL, by the customer
    const { endpoints } = await kit.ok('customer_viewer', `{ endpoints { hostName source edrAgentId retired } }`, {}, { customerId });
    expect(endpoints).toEqual([
      { hostName: '10.1.0.99', source: 'ALERT', edrAgentId: null, retired: false },
      { hostName: 'srv-1', source: 'EDR', edrAgentId: 'cs-srv1', retired: false },
      { hostName: 'ws-12', source: 'EDR', edrAgentId: 'cs-ws12', retired: false },
    ]);
  });

  it('never takes over an agent another customer owns', async () => {
    const a = await kit.createCustomer();
    const b = await kit.createCustomer();
    const agentId = `cs-${randomUUID()}`;
    edr.addHost(a.customerId, 'CROWDSTRIKE_FALCON', { agentId, hostName: 'shared-name' });
    edr.addHost(b.customerId, 'CROWDSTRIKE_FALCON', { agentId, hostName: 'shared-name' });
    await sync.syncConnector(a.customerId, 'CROWDSTRIKE_FALCON');
    expect(await sync.syncConnector(b.customerId, 'CROWDSTRIKE_FALCON')).toEqual({ changed: 0, hosts: 1 });
    expect(await rows(b.customerId)).toEqual([]);
  });
});

describe('managed endpoints counted for MDR billing', () => {
  it('counts an MDR customer’s agents seen within 7 days; a retired endpoint stops being counted and is published as retired', async () => {
    const mdr = await kit.createCustomer();
    const fe = await kit.createCustomer();
    const mdrContract = contract(mdr.customerId);
    await publish(ContractActivated, mdr.customerId, mdrContract);
    await publish(ContractActivated, fe.customerId, contract(fe.customerId, { plan: 'FE_ALERT_ANALYSIS', monitoredProducts: [] }));
    await eventually(async () => expect((await kit.ds.query(`SELECT count(*)::int AS n FROM endpoint_response.customer_contract WHERE customer_id = ANY($1)`, [[mdr.customerId, fe.customerId]]))[0].n).toBe(2));

    const now = Date.now();
    edr.addHost(mdr.customerId, 'CROWDSTRIKE_FALCON', { agentId: `a-${randomUUID()}`, hostName: 'daily-1', lastSeenAt: new Date(now - 1 * DAY).toISOString() });
    edr.addHost(mdr.customerId, 'CROWDSTRIKE_FALCON', { agentId: `a-${randomUUID()}`, hostName: 'old-laptop', lastSeenAt: new Date(now - 6 * DAY).toISOString() });
    await sync.syncConnector(mdr.customerId, 'CROWDSTRIKE_FALCON', new Date(now));
    // an endpoint learned from an alert has no agent: never counted
    await kit.ds.query(`INSERT INTO endpoint_response.endpoint (customer_id, host_name, source) VALUES ($1, 'printer', 'ALERT')`, [mdr.customerId]);

    const today = await count.countAt(new Date(now));
    expect(today.counts.get(mdr.customerId)).toBe(2);
    expect(today.counts.has(fe.customerId)).toBe(false);
    // two days later old-laptop was last seen 8 days before: retired, not counted
    const later = await count.countAt(new Date(now + 2 * DAY));
    expect(later.counts.get(mdr.customerId)).toBe(1);

    const counted = (await kit.outbox('response.endpoints.counted.v1', mdr.customerId)).map((e) => e.body);
    expect(counted).toEqual([
      { date: today.date, count: 2 },
      { date: later.date, count: 1 },
    ]);
    expect(later.date).not.toBe(today.date);
    expect(await kit.outbox('response.endpoints.counted.v1', fe.customerId)).toEqual([]);
    const retired = (await kit.outbox('response.endpoint.changed.v1', mdr.customerId)).map((e) => e.body).filter((b) => b.retired);
    expect(retired).toEqual([expect.objectContaining({ hostName: 'old-laptop', retired: true, version: 2 })]);

    // the EDR reports it again: managed again
    await kit.ds.query(`UPDATE endpoint_response.endpoint SET last_seen_at = $2 WHERE customer_id = $1 AND host_name = 'old-laptop'`, [mdr.customerId, new Date(now + 2 * DAY)]);
    expect((await count.countAt(new Date(now + 2 * DAY))).counts.get(mdr.customerId)).toBe(2);

    // a terminated MDR contract: no longer counted
    await publish(ContractTerminated, mdr.customerId, { ...mdrContract, status: 'terminated', endDate: '2026-12-31' });
    await eventually(async () => expect((await kit.ds.query(`SELECT status FROM endpoint_response.customer_contract WHERE contract_id = $1`, [mdrContract.contractId]))[0].status).toBe('terminated'));
    expect((await count.countAt(new Date(now + 3 * DAY))).counts.has(mdr.customerId)).toBe(false);
  });

  it('keeps the newest contract fact when events arrive out of order', async () => {
    const { customerId } = await kit.createCustomer();
    const c = contract(customerId);
    await publish(ContractTerminated, customerId, { ...c, status: 'terminated' }, '2026-06-02T00:00:00.000Z');
    await publish(ContractActivated, customerId, c, '2026-06-01T00:00:00.000Z');
    await eventually(async () => expect((await kit.ds.query(`SELECT status FROM endpoint_response.customer_contract WHERE contract_id = $1`, [c.contractId]))[0]?.status).toBe('terminated'));
    await new Promise((r) => setTimeout(r, 500));
    expect((await kit.ds.query(`SELECT status FROM endpoint_response.customer_contract WHERE contract_id = $1`, [c.contractId]))[0].status).toBe('terminated');
  });
});

function verdictBody(over: Partial<VerdictIssuedV2Body>): VerdictIssuedV2Body {
  return {
    verdictId: randomUUID(),
    alertIds: [randomUUID()],
    groupId: null,
    severity: 'HIGH',
    automaticSeverity: 'HIGH',
    overridden: false,
    overrideRationale: null,
    reasons: [],
    recommendedActions: [],
    endpoints: [],
    isolationRecommended: true,
    sensorId: randomUUID(),
    product: 'FIREEYE_NX',
    category: ['malware'],
    signature: null,
    blocked: false,
    decidedAt: new Date().toISOString(),
    ...over,
  };
}
