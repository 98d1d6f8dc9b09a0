import { SensorFirstEventReceived, SensorLivenessChanged } from '@kanshi/events';
import { eventually, gqlOk, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, published, registerSensor, TestService } from '../int-spec-helpers';
import { LivenessService } from './liveness.service';

jest.setTimeout(60_000);

const LINE = '<185>date=2026-11-20 time=11:02:33 devname="FGT-HQ-01" logid="0419016384" type="utm" subtype="ips" level="alert" srcip=10.20.30.41 dstip=198.51.100.23 action="dropped" attack="Test.Attack"';

let svc: TestService;
let liveness: LivenessService;
beforeAll(async () => {
  svc = await bootIngestion();
  liveness = svc.app.get(LivenessService);
});
afterAll(async () => {
  await svc?.close();
});

const heartbeat = (s: { sensorId: string; token: string }) => fetch(`${svc.url}/ingest/v1/sensors/${s.sensorId}/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` } });
const send = (s: { sensorId: string; token: string }) =>
  fetch(`${svc.url}/ingest/v1/sensors/${s.sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'text/plain' }, body: LINE });
const statusOf = async (sensorId: string): Promise<string> => (await svc.ds.query(`SELECT status FROM ingestion.sensor WHERE id = $1`, [sensorId]))[0].status;

// A sensor that goes silent after one second (the API's minimum is 30 s; tests need less).
async function quickSensor(customerId: string) {
  const s = await registerSensor(svc, customerId);
  await svc.ds.query(`UPDATE ingestion.sensor SET silence_threshold_seconds = 1 WHERE id = $1`, [s.sensorId]);
  return s;
}

describe('liveness monitoring (死活監視)', () => {
  it('marks a silent sensor DOWN and UP again on traffic, telling incident only when the contract includes liveness', async () => {
    const withOption = await createCustomer(svc, { plan: 'FE_ALERT_ANALYSIS', liveness: true });
    const withPlan = await createCustomer(svc, { plan: 'FE_SECURITY_MONITORING' });
    const without = await createCustomer(svc, { plan: 'FE_ALERT_ANALYSIS' });
    const a = await quickSensor(withOption.customerId);
    const b = await quickSensor(withPlan.customerId);
    const c = await quickSensor(without.customerId);
    for (const s of [a, b, c]) expect((await heartbeat(s)).status).toBe(200);
    expect(await statusOf(c.sensorId)).toBe('UP');

    await new Promise((r) => setTimeout(r, 1500));
    const down = await liveness.checkSilent();
    expect(down).toEqual(expect.arrayContaining([a.sensorId, b.sensorId, c.sensorId]));
    for (const s of [a, b, c]) expect(await statusOf(s.sensorId)).toBe('DOWN');
    // checked again: already down, nothing new
    expect(await liveness.checkSilent()).not.toContain(a.sensorId);

    const mine = (e: { body: { sensorId: string } }) => [a.sensorId, b.sensorId, c.sensorId].includes(e.body.sensorId);
    const downs = await published(svc, SensorLivenessChanged, mine, { atLeast: 2 });
    expect(downs.map((e) => [e.body.sensorId, e.body.status, e.customerId]).sort()).toEqual(
      [
        [a.sensorId, 'DOWN', withOption.customerId],
        [b.sensorId, 'DOWN', withPlan.customerId],
      ].sort(),
    );
    expect(downs[0].body.lastSeenAt).toEqual(expect.any(String));

    await send(a);
    await heartbeat(c);
    await liveness.flush();
    expect(await statusOf(a.sensorId)).toBe('UP');
    expect(await statusOf(c.sensorId)).toBe('UP');
    const all = await published(svc, SensorLivenessChanged, mine, { atLeast: 3 });
    expect(all.filter((e) => e.body.status === 'UP').map((e) => e.body.sensorId)).toEqual([a.sensorId]);
    expect(all.some((e) => e.body.sensorId === c.sensorId)).toBe(false);

    const { sensors } = await gqlOk<{ sensors: { id: string; status: string; lastSeenAt: string }[] }>(svc.graphql, await tokenFor('customer_viewer', { customerId: withOption.customerId }), '{ sensors { id status lastSeenAt } }');
    expect(sensors).toEqual([{ id: a.sensorId, status: 'UP', lastSeenAt: expect.any(String) }]);
  });

  it('announces the first event of a sensor once, and not for heartbeats', async () => {
    const cust = await createCustomer(svc);
    const s = await registerSensor(svc, cust.customerId);
    await heartbeat(s);
    await send(s);
    await send(s);
    await liveness.flush();
    const events = await published(svc, SensorFirstEventReceived, (e) => e.body.sensorId === s.sensorId);
    await new Promise((r) => setTimeout(r, 500));
    expect(await published(svc, SensorFirstEventReceived, (e) => e.body.sensorId === s.sensorId)).toHaveLength(1);
    expect(events[0].customerId).toBe(cust.customerId);
    const [row] = await svc.ds.query(`SELECT first_event_at FROM ingestion.sensor WHERE id = $1`, [s.sensorId]);
    expect(row.first_event_at.toISOString()).toBe(events[0].body.at);
  });

  it('never marks a sensor that was never heard from, or a revoked one, DOWN', async () => {
    const cust = await createCustomer(svc, { liveness: true });
    const silent = await quickSensor(cust.customerId);
    const revoked = await quickSensor(cust.customerId);
    await heartbeat(revoked);
    await svc.ds.query(`UPDATE ingestion.sensor SET revoked_at = now() WHERE id = $1`, [revoked.sensorId]);
    await new Promise((r) => setTimeout(r, 1200));
    const down = await liveness.checkSilent();
    expect(down).not.toContain(silent.sensorId);
    expect(down).not.toContain(revoked.sensorId);
    expect(await statusOf(silent.sensorId)).toBe('UNKNOWN');
  });
});

describe('liveness on its own', () => {
  it('looks for silent sensors every LIVENESS_CHECK_INTERVAL_MS on the job queue, without being asked', async () => {
    const customer = await createCustomer(svc, { plan: 'FE_ALERT_ANALYSIS', liveness: true });
    // a second replica on the same database and streams (either one's relay may publish)
    const watching = await bootIngestion({ LIVENESS_CHECK_INTERVAL_MS: '1000', NATS_NAMESPACE: svc.bus.namespace });
    try {
      const s = await quickSensor(customer.customerId);
      expect((await heartbeat(s)).status).toBe(200);
      expect(await statusOf(s.sensorId)).toBe('UP');
      await eventually(async () => expect(await statusOf(s.sensorId)).toBe('DOWN'), { timeoutMs: 10_000 });
      const [down] = await published(watching, SensorLivenessChanged, (e) => e.body.sensorId === s.sensorId);
      expect(down.body).toMatchObject({ sensorId: s.sensorId, status: 'DOWN' });
    } finally {
      // its streams are the first replica's too: only the application stops
      await watching.app.close();
    }
  });
});
