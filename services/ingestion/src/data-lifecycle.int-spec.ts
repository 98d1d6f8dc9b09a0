// Data lifecycle in ingestion (issue 15 item 15): a purge deletes only that customer's rows from
// every table of the catalogue, reports the counts per table, and a redelivered event purges and
// reports nothing twice.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { awaitPurge, deliverPurgeDue, purgeReports } from '@kanshi/testing';
import { INGESTION_CUSTOMER_DATA } from './customer-data.catalogue';
import { bootIngestion, createCustomer, registerSensor, TestService } from './int-spec-helpers';

jest.setTimeout(60_000);

const FORTIGATE = readFileSync(path.resolve(__dirname, 'parsers/__fixtures__/fortigate-utm.log'), 'utf8').trim().split('\n');

let svc: TestService;
beforeAll(async () => {
  svc = await bootIngestion();
});
afterAll(async () => {
  await svc?.close();
});

async function customerWithAlerts() {
  const c = await createCustomer(svc);
  const sensor = await registerSensor(svc, c.customerId, { product: 'FORTIGATE', name: 'FGT purge' });
  const res = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'text/plain' }, body: FORTIGATE.join('\n') });
  expect(res.status).toBe(200);
  return c.customerId;
}

const count = async (table: string, customerId: string) => (await svc.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`, [customerId]))[0].n as number;

it("deletes only the purged customer's rows, reports the counts per table, and purges nothing twice", async () => {
  const gone = await customerWithAlerts();
  const kept = await customerWithAlerts();
  const alerts = await count('ingestion.alert', gone);
  expect(alerts).toBeGreaterThan(0);

  const eventId = await deliverPurgeDue(svc.bus, gone);
  const counts = await awaitPurge(svc.ds, 'ingestion', gone);
  expect(Object.keys(counts)).toEqual(INGESTION_CUSTOMER_DATA.purge.map((t) => t.table));
  expect(counts).toMatchObject({ 'ingestion.alert': alerts, 'ingestion.sensor': 1, 'ingestion.customer_contract': 1, 'ingestion.tenant_customer': 1 });
  for (const t of INGESTION_CUSTOMER_DATA.purge.filter((p) => !p.where)) expect(await count(t.table, gone)).toBe(0);
  expect(await count('ingestion.alert', kept)).toBeGreaterThan(0);
  expect(await count('ingestion.sensor', kept)).toBe(1);

  // The same event again (a redelivery): nothing more deleted, no second report.
  await deliverPurgeDue(svc.bus, gone, eventId);
  await new Promise((r) => setTimeout(r, 1500));
  const reports = await purgeReports(svc.ds, 'ingestion', gone);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ purgeEventId: eventId, customerId: gone, service: 'ingestion' });
});
