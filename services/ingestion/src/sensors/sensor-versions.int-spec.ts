// A sensor's product version, learned from its events through the real HTTPS intake: a FortiGate
// sending CEF (the header's device version) and a Trend Micro sending LEEF (the header's product
// version). Sensor.productVersion shows the latest; a change is published once.
import { SensorVersionChanged } from '@kanshi/events';
import { gqlOk, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, published, registerSensor, TestService } from '../int-spec-helpers';

jest.setTimeout(60_000);

let svc: TestService;
beforeAll(async () => {
  svc = await bootIngestion();
});
afterAll(async () => {
  await svc?.close();
});

async function post(sensor: { sensorId: string; token: string }, body: string): Promise<number> {
  const res = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'text/plain' }, body });
  const answer = (await res.json()) as { accepted: number };
  expect(res.status).toBe(200);
  return answer.accepted;
}

async function sensorAs(role: 'provider_admin' | 'customer_viewer', customerId: string, sensorId: string) {
  const { sensors } = await gqlOk<{ sensors: { id: string; productVersion: string | null; productVersionSeenAt: string | null }[] }>(
    svc.graphql,
    await tokenFor(role, { customerId }),
    'query($c: ID) { sensors(customerId: $c) { id productVersion productVersionSeenAt } }',
    { c: customerId },
  );
  return sensors.find((s) => s.id === sensorId)!;
}

const changes = async (sensorId: string): Promise<number> =>
  (await svc.ds.query(`SELECT count(*)::int AS n FROM ingestion.outbox WHERE subject = $1 AND payload->'body'->>'sensorId' = $2`, [SensorVersionChanged.subject, sensorId]))[0].n;

const fortigateCef = (version: string, n: number) =>
  `<189>Dec  2 10:00:0${n} fg-tokyo CEF:0|Fortinet|Fortigate|${version}|16384|utm:ips signature|5|src=10.60.12.25 dst=203.0.113.7 act=dropped cs1Label=attack cs1=Apache.Log4j.Error.Log.Remote.Code.Execution externalId=${1000 + n}`;
// FortiGate's own key=value format carries no version: it leaves the version as it is.
const fortigateNative = 'date=2026-12-02 time=10:00:09 devname="fg-tokyo" devid="FG100F0000000001" logid="0000000013" type="traffic" subtype="forward" level="notice" srcip=10.60.12.25 dstip=10.0.0.2 action="accept"';

describe('sensor product version from its events', () => {
  it('a FortiGate sending CEF shows the header’s device version; the same version writes and publishes nothing more; a new one replaces it', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'FORTIGATE' });
    expect((await sensorAs('provider_admin', customerId, sensor.sensorId)).productVersion).toBeNull();

    expect(await post(sensor, [fortigateCef('v7.2.8', 1), fortigateNative].join('\n'))).toBe(2);
    const first = await sensorAs('customer_viewer', customerId, sensor.sensorId);
    expect(first.productVersion).toBe('v7.2.8');
    expect(Date.now() - Date.parse(first.productVersionSeenAt!)).toBeLessThan(60_000);
    const [event] = await published(svc, SensorVersionChanged, (e) => e.body.sensorId === sensor.sensorId);
    expect(event).toMatchObject({ customerId, body: { sensorId: sensor.sensorId, product: 'FORTIGATE', version: 'v7.2.8', previousVersion: null, seenAt: first.productVersionSeenAt } });

    expect(await post(sensor, fortigateCef('v7.2.8', 2))).toBe(1);
    expect(await post(sensor, fortigateNative)).toBe(1);
    expect(await sensorAs('provider_admin', customerId, sensor.sensorId)).toEqual(first);
    expect(await changes(sensor.sensorId)).toBe(1);

    expect(await post(sensor, fortigateCef('v7.4.4', 3))).toBe(1);
    const upgraded = await sensorAs('provider_admin', customerId, sensor.sensorId);
    expect(upgraded.productVersion).toBe('v7.4.4');
    expect(Date.parse(upgraded.productVersionSeenAt!)).toBeGreaterThanOrEqual(Date.parse(first.productVersionSeenAt!));
    const events = await published(svc, SensorVersionChanged, (e) => e.body.sensorId === sensor.sensorId, { atLeast: 2 });
    expect(events.map((e) => [e.body.previousVersion, e.body.version])).toEqual([
      [null, 'v7.2.8'],
      ['v7.2.8', 'v7.4.4'],
    ]);
  });

  it('a Trend Micro sending LEEF shows the header’s product version', async () => {
    const { customerId } = await createCustomer(svc);
    const sensor = await registerSensor(svc, customerId, { product: 'TREND_MICRO' });
    const leef = '<134>Dec  2 10:00:00 dsm01 LEEF:2.0|Trend Micro|Deep Security Agent|20.0.1|4000000|x09|cat=Anti-Malware\tname=HEU_AEGIS_CRYPT\tsev=6\tdvchost=srv-file-01\tact=Terminate';
    expect(await post(sensor, leef)).toBe(1);
    expect((await sensorAs('customer_viewer', customerId, sensor.sensorId)).productVersion).toBe('20.0.1');
  });
});
