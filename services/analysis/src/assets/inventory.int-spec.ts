// endpoint-response's inventory in analysis, on the real PostgreSQL and NATS: EndpointChanged
// events on JetStream (as endpoint-response's relay publishes them) become analysis' inventory
// read model, and an alert naming only an IP gets the endpoint's host name and id in its verdict,
// with an asset reason saying its EDR agent can isolate it. Redelivered and stale events change
// nothing; another customer's alert on the same address is not resolved; a retired endpoint
// resolves nothing.
import { randomUUID } from 'node:crypto';
import { AlertReceived, AlertReceivedBody, EndpointChanged, EndpointChangedBody, EventEnvelope } from '@kanshi/events';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { eventually, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { AssetContextService } from './asset-context.service';

jest.setTimeout(90_000);

let kit: SubgraphKit;
let bus: NatsBus;
let a: { customerId: string };
let b: { customerId: string };
const SENSOR = '00000000-0000-4000-8000-00000000e5e2';
const IP = '10.30.0.21';

beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
  bus = kit.app.get(NatsBus);
  await kit.app.get(ConsumerHost).start();
  a = await kit.createCustomer();
  b = await kit.createCustomer();
});

afterAll(async () => {
  if (!kit) return;
  await kit.app.get(ConsumerHost).stop();
  for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) await bus.jsm.streams.delete(s.config.name);
  await kit.close();
});

function changed(customerId: string, body: Partial<EndpointChangedBody> & Pick<EndpointChangedBody, 'endpointId' | 'version'>): EventEnvelope<EndpointChangedBody> {
  return {
    eventId: randomUUID(),
    subject: EndpointChanged.subject,
    occurredAt: new Date().toISOString(),
    customerId,
    body: {
      hostName: 'WS-FIN-07.corp.example',
      ips: [IP],
      os: 'Windows 11 Pro',
      edrProduct: 'CROWDSTRIKE_FALCON',
      agentId: 'cs-agent-07',
      lastSeenAt: '2026-11-30T08:00:00.000Z',
      isolated: false,
      retired: false,
      ...body,
    },
  };
}

function alert(customerId: string, ip: string): EventEnvelope<AlertReceivedBody> {
  const at = new Date().toISOString();
  return {
    eventId: randomUUID(),
    subject: AlertReceived.subject,
    occurredAt: at,
    customerId,
    body: {
      alertId: randomUUID(),
      sensorId: SENSOR,
      product: 'FIREEYE_NX',
      occurredAt: at,
      receivedAt: at,
      ruleName: 'Malware.Binary.exe',
      vendorSeverity: 'majr',
      severity: 73,
      blocked: false,
      groupKey: null,
      repeatCount: 1,
      // a network sensor: only the internal address of the connection names the endpoint
      ecs: { event: { category: ['malware', 'network'] }, source: { ip }, destination: { ip: '198.51.100.90' } },
    },
  };
}

async function publish(e: EventEnvelope<unknown>, msgID = e.eventId): Promise<void> {
  await bus.js.publish(`${bus.namespace}.${e.subject}`, Buffer.from(JSON.stringify(e)), { msgID });
}

const inventoryRow = async (endpointId: string) => (await kit.ds.query(`SELECT * FROM analysis.inventory_endpoint WHERE endpoint_id = $1`, [endpointId]))[0];
const processed = (eventId: string) => eventually(async () => expect(await kit.ds.query(`SELECT 1 FROM analysis.inbox WHERE event_id = $1`, [eventId])).toHaveLength(1));
const waitForVerdict = (alertId: string) =>
  eventually(async () => {
    const rows = await kit.ds.query(`SELECT * FROM analysis.verdict WHERE alert_id = $1`, [alertId]);
    expect(rows).toHaveLength(1);
    return rows[0];
  });
const VERDICT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { id verdict { endpoints { hostName ip endpointId } reasons { kind text textJa } } } } }`;

describe('the endpoint inventory in asset context', () => {
  const E1 = randomUUID();

  it('resolves an alert naming only an IP to the inventory endpoint: host name, endpoint id, and that its EDR agent can isolate it', async () => {
    expect(bus.subjectOf(EndpointChanged)).toBe(`${bus.namespace}.${EndpointChanged.subject}`);
    const v1 = changed(a.customerId, { endpointId: E1, version: 1, ips: ['10.30.9.9'] });
    const v2 = changed(a.customerId, { endpointId: E1, version: 2, ips: [IP, '10.30.1.21'], lastSeenAt: '2026-12-01T09:30:00.000Z' });
    await publish(v1);
    await publish(v2);
    await processed(v2.eventId);
    const stored = await inventoryRow(E1);
    expect(stored).toMatchObject({ customer_id: a.customerId, version: 2, host_name: 'WS-FIN-07.corp.example', ips: [IP, '10.30.1.21'], edr_product: 'CROWDSTRIKE_FALCON', agent_id: 'cs-agent-07', retired: false });

    // redelivery: the same event again (a new message id, so JetStream passes it; the inbox drops
    // it), and the older version under a new event id: neither changes the endpoint
    await publish(v2, randomUUID());
    const stale = { ...v1, eventId: randomUUID() };
    await publish(stale);
    await processed(stale.eventId);
    await eventually(async () => {
      const info = await bus.jsm.consumers.info(bus.streamNameOf('RESPONSE'), 'analysis-endpoint-changed');
      expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    });
    expect(await kit.ds.query(`SELECT count(*)::int AS n FROM analysis.inbox WHERE event_id = $1`, [v2.eventId])).toEqual([{ n: 1 }]);
    expect(await inventoryRow(E1)).toEqual(stored);

    const ofA = alert(a.customerId, IP);
    await publish(ofA);
    const row = await waitForVerdict(ofA.body.alertId);
    expect(row.endpoints).toEqual([{ hostName: 'ws-fin-07.corp.example', ip: IP, endpointId: E1, agentId: 'cs-agent-07' }]);
    expect(row.reasons).toContainEqual({
      kind: 'ASSET',
      text: `WS-FIN-07.corp.example (${IP}, 10.30.1.21) is a managed endpoint with a CrowdStrike Falcon agent (agent cs-agent-07, OS Windows 11 Pro, last seen 2026-12-01T09:30:00.000Z): it can be isolated`,
      textJa: expect.stringContaining('隔離できます'),
      attackTechniques: [],
    });
    // the v2 event carries the endpoint id, which incident matches its endpoint read model on
    const events = (await kit.outbox('analysis.verdict.issued.v2', a.customerId)).filter((e) => e.body.alertIds[0] === ofA.body.alertId);
    expect(events.map((e) => e.body.endpoints)).toEqual([[{ hostName: 'ws-fin-07.corp.example', ip: IP, agentId: 'cs-agent-07', endpointId: E1 }]]);
    const seen = (await kit.ok('customer_admin', VERDICT, { r: [{ __typename: 'Alert', id: ofA.body.alertId }] }, { customerId: a.customerId }))._entities[0].verdict;
    expect(seen.endpoints).toEqual([{ hostName: 'ws-fin-07.corp.example', ip: IP, endpointId: E1 }]);
  });

  it('never resolves another customer’s alert on the same address to the endpoint', async () => {
    const ofB = alert(b.customerId, IP);
    await publish(ofB);
    const row = await waitForVerdict(ofB.body.alertId);
    expect(row.endpoints).toEqual([{ hostName: null, ip: IP }]);
    expect(row.reasons.filter((r: { kind: string }) => r.kind === 'ASSET')).toEqual([]);
    const seen = (await kit.ok('customer_admin', VERDICT, { r: [{ __typename: 'Alert', id: ofB.body.alertId }] }, { customerId: b.customerId }))._entities[0].verdict;
    expect(seen.endpoints).toEqual([{ hostName: null, ip: IP, endpointId: null }]);
    // nor can an event of customer B move A's endpoint to B
    const hijack = changed(b.customerId, { endpointId: E1, version: 9, hostName: 'lab-b-01' });
    await publish(hijack);
    await processed(hijack.eventId);
    expect(await inventoryRow(E1)).toMatchObject({ customer_id: a.customerId, version: 2, host_name: 'WS-FIN-07.corp.example' });
  });

  it('resolves nothing to a retired endpoint', async () => {
    const retired = changed(a.customerId, { endpointId: E1, version: 3, ips: [IP, '10.30.1.21'], retired: true });
    await publish(retired);
    await processed(retired.eventId);
    const ofA = alert(a.customerId, '10.30.1.21');
    await publish(ofA);
    const row = await waitForVerdict(ofA.body.alertId);
    expect(row.endpoints).toEqual([{ hostName: null, ip: '10.30.1.21' }]);
    expect(row.reasons.filter((r: { kind: string }) => r.kind === 'ASSET')).toEqual([]);
  });

  it('stores a binding learned in a transaction that rolled back, or before a savepoint rolled back, when it is learned again', async () => {
    const assets = kit.app.get(AssetContextService);
    const c = await kit.createCustomer();
    const at = new Date();
    const stored = async (host: string) =>
      (await kit.ds.query(`SELECT host_name FROM analysis.asset_binding WHERE customer_id = $1 AND host_name = $2`, [c.customerId, host])).length;
    // a transaction that fails after learning: nothing stored, and the next one stores it
    await expect(
      kit.ds.transaction(async (tx) => {
        await assets.learn(tx, c.customerId, [{ hostName: 'rolled-back.corp.example', ip: '10.31.0.1', endpointId: null }], at);
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    expect(await stored('rolled-back.corp.example')).toBe(0);
    await kit.ds.transaction((tx) => assets.learn(tx, c.customerId, [{ hostName: 'rolled-back.corp.example', ip: '10.31.0.1', endpointId: null }], at));
    expect(await stored('rolled-back.corp.example')).toBe(1);
    // a savepoint rolled back (a batch analysed again alert by alert): learned again, stored
    await kit.ds.transaction(async (tx) => {
      await tx.query('SAVEPOINT s');
      await assets.learn(tx, c.customerId, [{ hostName: 'savepoint.corp.example', ip: '10.31.0.2', endpointId: null }], at);
      await tx.query('ROLLBACK TO SAVEPOINT s');
      assets.forgetUncommitted(tx);
      await assets.learn(tx, c.customerId, [{ hostName: 'savepoint.corp.example', ip: '10.31.0.2', endpointId: null }], at);
    });
    expect(await stored('savepoint.corp.example')).toBe(1);
    // once committed, the same binding within the hour is not written again
    const xmin = async () => (await kit.ds.query(`SELECT xmin::text AS x FROM analysis.asset_binding WHERE customer_id = $1 AND host_name = 'savepoint.corp.example'`, [c.customerId]))[0].x;
    const before = await xmin();
    await kit.ds.transaction((tx) => assets.learn(tx, c.customerId, [{ hostName: 'savepoint.corp.example', ip: '10.31.0.2', endpointId: null }], at));
    expect(await xmin()).toBe(before);
  });
});
