// The pipeline end to end on the real PostgreSQL and NATS: AlertReceived events on JetStream (as
// ingestion's relay publishes them) become one verdict each, with v2 in the outbox;
// Alert.verdict through the subgraph is scoped to the caller; an override keeps the automatic
// decision beside it.
import { randomUUID } from 'node:crypto';
import { AlertReceived, AlertReceivedBody, EventEnvelope } from '@kanshi/events';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { eventually, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';

jest.setTimeout(60_000);

let kit: SubgraphKit;
let bus: NatsBus;
let a: { customerId: string };
let b: { customerId: string };
const SENSOR = '00000000-0000-4000-8000-00000000e5e1';

beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
  bus = kit.app.get(NatsBus);
  // The kit boots with messaging off (outbox rows stay to be read); the consumers run here.
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

function alert(customerId: string, over: Partial<AlertReceivedBody> = {}): EventEnvelope<AlertReceivedBody> {
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
      ecs: { event: { category: ['malware', 'network'] }, source: { ip: '10.20.0.7' }, destination: { ip: '198.51.100.77' } },
      ...over,
    },
  };
}

async function publish(e: EventEnvelope<AlertReceivedBody>): Promise<void> {
  await bus.js.publish(bus.subjectOf(AlertReceived), Buffer.from(JSON.stringify(e)), { msgID: e.eventId });
}

const verdictRows = (alertId: string) => kit.ds.query(`SELECT * FROM analysis.verdict WHERE alert_id = $1`, [alertId]);
const waitForVerdict = (alertId: string) =>
  eventually(async () => {
    const rows = await verdictRows(alertId);
    expect(rows).toHaveLength(1);
    return rows[0];
  });

const VERDICT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { id verdict {
  id alertId severity automaticSeverity automatic decidedAt isolationRecommended blocked suppressed groupId
  reasons { kind text textJa attackTechniques } recommendedActions { text textJa } endpoints { hostName ip }
  override { severity rationale by at } group { id alertCount severity status } } } } }`;
const verdictOf = async (role: 'customer_admin' | 'analyst' | 'partner_admin', alertId: string, ids = {}) =>
  (await kit.ok(role, VERDICT, { r: [{ __typename: 'Alert', id: alertId }] }, ids))._entities[0].verdict;

describe('alerts -> verdicts', () => {
  it('turns two customers’ alerts into one verdict each, with v2 in the outbox (v1 no longer); a customer sees only its own', async () => {
    // customer A's feed names the destination as C2 (confidence 90): not blocked, so HIGH
    await kit.ok('analyst', `mutation($i: ImportIocsInput!) { importIocs(input: $i) { listId } }`, {
      i: { name: `c2 ${randomUUID()}`, customerId: a.customerId, source: 'JPCERT', tlp: 'AMBER', defaultConfidence: 90, format: 'CSV', content: 'type,value\nipv4,198.51.100.77\n' },
    });
    const ofA = alert(a.customerId);
    const ofB = alert(b.customerId, { blocked: true, severity: 47 });
    await publish(ofA);
    await publish(ofB);

    const rowA = await waitForVerdict(ofA.body.alertId);
    expect(rowA).toMatchObject({ customer_id: a.customerId, severity: 'HIGH', automatic_severity: 'HIGH', isolation_recommended: true, suppressed_by: null });
    expect(rowA.endpoints).toEqual([{ hostName: null, ip: '10.20.0.7' }]);
    const rowB = await waitForVerdict(ofB.body.alertId);
    expect(rowB).toMatchObject({ customer_id: b.customerId, severity: 'LOW', blocked: true });

    // v2 alone: v1 is no longer published (every consumer reads v2)
    expect(await kit.outbox('analysis.verdict.issued.v1', a.customerId)).toEqual([]);
    const v2 = await kit.outbox('analysis.verdict.issued.v2', a.customerId);
    expect(v2.map((e) => e.body)).toEqual([
      expect.objectContaining({ verdictId: rowA.id, alertIds: [ofA.body.alertId], severity: 'HIGH', overridden: false, sensorId: SENSOR, product: 'FIREEYE_NX', category: ['malware', 'network'], signature: 'Malware.Binary.exe', blocked: false, isolationRecommended: true }),
    ]);
    expect(v2[0].body.reasons.map((r: { kind: string }) => r.kind)).toEqual(['IOC', 'BLOCKED']);
    expect(await kit.outbox('analysis.verdict.issued.v2', b.customerId)).toHaveLength(1);

    const seenByA = await verdictOf('customer_admin', ofA.body.alertId, { customerId: a.customerId });
    expect(seenByA).toMatchObject({ id: rowA.id, severity: 'HIGH', automatic: true, suppressed: false, override: null, endpoints: [{ hostName: null, ip: '10.20.0.7' }] });
    // the alert's group, raised to the verdict's severity
    expect(seenByA.group).toEqual({ id: rowA.group_id, alertCount: 1, severity: 'HIGH', status: 'OPEN' });
    expect(seenByA.reasons[0]).toEqual({
      kind: 'IOC',
      text: expect.stringContaining('destination.ip 198.51.100.77 is on the IOC list'),
      textJa: expect.stringContaining('IOC リスト'),
      attackTechniques: [],
    });
    expect(seenByA.recommendedActions.map((x: { text: string }) => x.text)).toContain('Isolate the endpoint from the network until it is investigated or rebuilt');
    // another customer's alert reads as having no verdict
    expect(await verdictOf('customer_admin', ofA.body.alertId, { customerId: b.customerId })).toBeNull();
    expect(await verdictOf('analyst', ofB.body.alertId)).toMatchObject({ severity: 'LOW' });
  });

  it('compresses the documents every verdict writes (reasons, actions, its event, its group lists) with lz4, not pglz', async () => {
    const [{ lz4 }] = await kit.ds.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
    expect(lz4).toBe(true); // this machine's PostgreSQL has it; without it the migration keeps pglz
    const rows: { t: string; c: string; m: string }[] = await kit.ds.query(
      `SELECT c.relname AS t, a.attname AS c, a.attcompression AS m FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'analysis' AND (c.relname, a.attname) IN (('verdict', 'reasons'), ('verdict', 'actions'), ('verdict', 'endpoints'), ('outbox', 'payload'), ('alert_group', 'hosts'), ('alert_group', 'ioc_values'), ('alert_group', 'rule_keys'))`,
    );
    expect(rows).toHaveLength(7);
    expect(rows.filter((r) => r.m !== 'l')).toEqual([]);
    // a document past the 2 KB threshold is stored lz4-compressed
    const [stored] = await kit.ds.query(`SELECT pg_column_compression(payload) AS method FROM analysis.outbox WHERE octet_length(payload::text) > 2100 LIMIT 1`);
    if (stored) expect(stored.method).toBe('lz4');
  });

  it('gives a redelivered alert no second verdict and a repeat only its count', async () => {
    const e = alert(a.customerId, { severity: 21, blocked: true });
    await publish(e);
    await waitForVerdict(e.body.alertId);
    // the same message again (JetStream drops it by msgID), then the same alert under a new event id
    await publish(e);
    await publish({ ...e, eventId: randomUUID(), body: { ...e.body, repeatCount: 3 } });
    await eventually(async () => expect((await verdictRows(e.body.alertId))[0].repeat_count).toBe(3));
    expect(await verdictRows(e.body.alertId)).toHaveLength(1);
    const events = (await kit.outbox('analysis.verdict.issued.v2', a.customerId)).filter((x) => x.body.alertIds[0] === e.body.alertId);
    expect(events).toHaveLength(1);
  });

  it('raises a verdict on a critical asset one level', async () => {
    await kit.ok('customer_admin', `mutation($i: MarkCriticalAssetInput!) { markCriticalAsset(input: $i) { id hostName } }`, { i: { customerId: a.customerId, hostName: 'FS-01.corp.example', note: 'file server' } }, { customerId: a.customerId });
    const e = alert(a.customerId, { product: 'TREND_MICRO', severity: 21, blocked: true, ecs: { host: { name: 'fs-01.corp.example', ip: '10.20.0.99' } } });
    await publish(e);
    const row = await waitForVerdict(e.body.alertId);
    expect(row.severity).toBe('MEDIUM');
    expect(row.reasons).toContainEqual(expect.objectContaining({ kind: 'ASSET', text: 'fs-01.corp.example is a critical asset (file server): severity raised one level' }));
    const { criticalAssets } = await kit.ok('customer_admin', `{ criticalAssets { hostName note } }`, {}, { customerId: b.customerId });
    expect(criticalAssets).toEqual([]);
  });
});

describe('overrideVerdict', () => {
  const OVERRIDE = `mutation($v: ID, $a: ID, $s: Severity!, $r: String!) { overrideVerdict(verdictId: $v, alertId: $a, severity: $s, rationale: $r) { id severity automaticSeverity automatic override { severity rationale by } } }`;

  it('keeps the automatic decision beside the analyst’s and publishes v2 again with overridden: true', async () => {
    const e = alert(a.customerId, { severity: 21, blocked: true });
    await publish(e);
    const row = await waitForVerdict(e.body.alertId);
    expect(row.severity).toBe('LOW');
    const { overrideVerdict } = await kit.ok('analyst', OVERRIDE, { v: row.id, s: 'HIGH', r: 'the same host beacons every 60 s' });
    expect(overrideVerdict).toEqual({ id: row.id, severity: 'HIGH', automaticSeverity: 'LOW', automatic: false, override: { severity: 'HIGH', rationale: 'the same host beacons every 60 s', by: 'test-analyst' } });
    const seen = await verdictOf('customer_admin', e.body.alertId, { customerId: a.customerId });
    expect(seen).toMatchObject({ severity: 'HIGH', automaticSeverity: 'LOW', override: { severity: 'HIGH' } });
    const events = (await kit.outbox('analysis.verdict.issued.v2', a.customerId)).filter((x) => x.body.verdictId === row.id);
    expect(events.map((x) => [x.body.severity, x.body.automaticSeverity, x.body.overridden, x.body.overrideRationale])).toEqual([
      ['LOW', 'LOW', false, null],
      ['HIGH', 'LOW', true, 'the same host beacons every 60 s'],
    ]);
  });

  it('is FORBIDDEN to a customer, NOT_FOUND for an unknown verdict, and BAD_USER_INPUT without a target', async () => {
    const forbidden = await kit.gql('customer_admin', OVERRIDE, { v: randomUUID(), s: 'LOW', r: 'x' }, { customerId: a.customerId });
    expect(forbidden.errors?.[0]).toMatchObject({ message: 'role customer_admin may not override verdicts', extensions: { code: 'FORBIDDEN' } });
    const missing = await kit.gql('analyst', OVERRIDE, { v: randomUUID(), s: 'LOW', r: 'x' });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'VERDICT_NOT_FOUND', field: 'verdictId' });
    const none = await kit.gql('analyst', OVERRIDE, { s: 'LOW', r: 'x' });
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ONE_VERDICT_TARGET' });
    const empty = await kit.gql('analyst', OVERRIDE, { v: randomUUID(), s: 'LOW', r: '' });
    expect(empty.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0].message).toContain('rationale');
  });
});
