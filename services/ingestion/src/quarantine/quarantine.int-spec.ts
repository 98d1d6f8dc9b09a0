import { randomUUID } from 'node:crypto';
import { AlertReceived } from '@kanshi/events';
import { gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, published, registerSensor, TestService } from '../int-spec-helpers';

jest.setTimeout(60_000);

const GOOD = '<185>date=2026-11-20 time=11:02:33 devname="FGT-HQ-01" logid="0419016384" type="utm" subtype="ips" level="alert" srcip=10.20.30.41 dstip=198.51.100.23 action="dropped" attack="Replayed.Attack" incidentserialno=7001';

let svc: TestService;
beforeAll(async () => {
  svc = await bootIngestion();
});
afterAll(async () => {
  await svc?.close();
});

const LIST = `query($f: QuarantineFilter) { quarantinedEvents(filter: $f) { edges { node { id sensorId reason status rawText rawBase64 sizeBytes transport replayAttempts } } } }`;
const REPLAY = `mutation($id: ID!) { replayQuarantined(id: $id) { accepted events reason entry { id status replayAttempts replayedEventCount reason } } }`;

// An entry as an older parser left it: bytes today's parser reads.
async function quarantined(sensor: { sensorId: string } | null, customerId: string | null, raw: string, reason: string): Promise<string> {
  const [{ id }] = await svc.ds.query(
    `INSERT INTO ingestion.quarantine (received_at, sensor_id, customer_id, product, transport, remote_address, reason, raw)
     VALUES (now(), $1, $2, 'FORTIGATE', 'udp', '192.0.2.1', $3, convert_to($4, 'UTF8')) RETURNING id`,
    [sensor?.sensorId ?? null, customerId, reason, raw],
  );
  return id;
}

describe('quarantine', () => {
  it('lists entries with their reason and bytes for provider staff, and not for customers', async () => {
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    await fetch(`${svc.url}/ingest/v1/sensors/${s.sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'text/plain' }, body: 'garbage line' });
    const res = await gqlOk<{ quarantinedEvents: { edges: { node: Record<string, unknown> }[] } }>(svc.graphql, await tokenFor('analyst'), LIST, { f: { sensorId: s.sensorId } });
    expect(res.quarantinedEvents.edges.map((e) => e.node)).toEqual([
      {
        id: expect.any(String),
        sensorId: s.sensorId,
        reason: expect.stringMatching(/FortiGate/),
        status: 'QUARANTINED',
        rawText: 'garbage line',
        rawBase64: Buffer.from('garbage line').toString('base64'),
        sizeBytes: 12,
        transport: 'https',
        replayAttempts: 0,
      },
    ]);
    const forCustomer = await gqlRequest(svc.graphql, await tokenFor('customer_admin', { customerId: c.customerId }), LIST, { f: { sensorId: s.sensorId } });
    expect(forCustomer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('replays an entry through today’s parsers: stored as an event and alert, announced, marked replayed, once', async () => {
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    const id = await quarantined(s, c.customerId, GOOD, 'FortiGate: no key=value pairs found (parser before the fix)');
    const analyst = await tokenFor('analyst');

    const { replayQuarantined } = await gqlOk<{ replayQuarantined: Record<string, any> }>(svc.graphql, analyst, REPLAY, { id });

    expect(replayQuarantined).toEqual({ accepted: true, events: 1, reason: null, entry: { id, status: 'REPLAYED', replayAttempts: 1, replayedEventCount: 1, reason: expect.any(String) } });
    const raw = await svc.ds.query(`SELECT transport, raw FROM ingestion.raw_event WHERE sensor_id = $1`, [s.sensorId]);
    expect(raw).toEqual([{ transport: 'udp', raw: GOOD }]);
    const alerts = await published(svc, AlertReceived, (e) => e.body.sensorId === s.sensorId);
    expect(alerts[0].body).toMatchObject({ ruleName: 'Replayed.Attack', groupKey: '7001' });
    const again = await gqlRequest(svc.graphql, analyst, REPLAY, { id });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_REPLAYABLE' });
  });

  it('keeps an entry the parsers still refuse, with today’s reason and the attempt counted', async () => {
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    const id = await quarantined(s, c.customerId, 'still not a FortiGate line', 'old reason');
    const { replayQuarantined } = await gqlOk<{ replayQuarantined: Record<string, any> }>(svc.graphql, await tokenFor('engineer'), REPLAY, { id });
    expect(replayQuarantined).toMatchObject({ accepted: false, events: 0, reason: expect.stringMatching(/FortiGate/), entry: { status: 'QUARANTINED', replayAttempts: 1 } });
    expect(replayQuarantined.entry.reason).toBe(replayQuarantined.reason);
    expect(await svc.ds.query(`SELECT 1 FROM ingestion.raw_event WHERE sensor_id = $1`, [s.sensorId])).toHaveLength(0);
  });

  it('replays a sensor’s entries in one go after a parser fix', async () => {
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    await quarantined(s, c.customerId, GOOD.replace('7001', '7002'), 'old');
    await quarantined(s, c.customerId, GOOD.replace('7001', '7003'), 'old');
    await quarantined(s, c.customerId, 'nope', 'old');
    const res = await gqlOk<{ replayQuarantinedForSensor: Record<string, number> }>(
      svc.graphql,
      await tokenFor('analyst'),
      'mutation($s: ID!) { replayQuarantinedForSensor(sensorId: $s) { attempted accepted stillQuarantined } }',
      { s: s.sensorId },
    );
    expect(res.replayQuarantinedForSensor).toEqual({ attempted: 3, accepted: 2, stillQuarantined: 1 });
  });

  it('cannot replay bytes from an unknown source, which belong to no tenant', async () => {
    const id = await quarantined(null, null, GOOD, `unknown source address 192.0.2.1`);
    const r = await gqlRequest(svc.graphql, await tokenFor('analyst'), REPLAY, { id });
    expect(r.errors?.[0].extensions?.reason).toBe('NOT_REPLAYABLE');
    const missing = await gqlRequest(svc.graphql, await tokenFor('analyst'), REPLAY, { id: randomUUID() });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
