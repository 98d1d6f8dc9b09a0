// The audit plugin in ingestion: an analyst reading a customer's alerts publishes an audit entry
// (who, what, from where) before the answer leaves; when it cannot be published, no alert leaves.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataAccessRecorded } from '@kanshi/events';
import { gqlRequest, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, published, registerSensor, TestService } from '../int-spec-helpers';

jest.setTimeout(60_000);

const FORTIGATE = readFileSync(path.resolve(__dirname, '../parsers/__fixtures__/fortigate-utm.log'), 'utf8').trim().split('\n');
const QUERY = `query Triage($c: ID) { alerts(filter: { customerId: $c }, first: 10) { edges { node { id ruleName raw } } } }`;

let svc: TestService;
let a: { customerId: string };

beforeAll(async () => {
  svc = await bootIngestion();
  a = await createCustomer(svc);
  const sensor = await registerSensor(svc, a.customerId, { product: 'FORTIGATE', name: 'FGT audit' });
  const res = await fetch(`${svc.url}/ingest/v1/sensors/${sensor.sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${sensor.token}`, 'content-type': 'text/plain' }, body: FORTIGATE.join('\n') });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await svc?.close();
});

it("publishes who read which customer's alerts, what and from where", async () => {
  const r = await gqlRequest<any>(svc.graphql, await tokenFor('analyst', { sub: 'analyst-ichiro' }), QUERY, { c: a.customerId }, { 'x-kanshi-client-ip': '192.0.2.44' });
  expect(r.errors).toBeUndefined();
  expect(r.data.alerts.edges).toHaveLength(2);
  const [entry] = await published(svc, DataAccessRecorded, (e) => e.body.actorId === 'analyst-ichiro');
  expect(entry.customerId).toBe(a.customerId);
  expect(entry.body).toMatchObject({
    actorRole: 'analyst',
    service: 'ingestion',
    operationType: 'query',
    operationName: 'Triage',
    fields: [{ path: 'alerts', arguments: { filter: { customerId: a.customerId }, first: 10 } }],
    customerIds: [a.customerId],
    clientIp: '192.0.2.44',
  });
  expect(entry.body.fieldPaths).toEqual(expect.arrayContaining(['Query.alerts', 'Alert.raw']));
});

it('answers SERVICE_UNAVAILABLE, with no alert, when the audit entry cannot be written; a customer reading its own is not held up', async () => {
  await svc.bus.jsm.streams.delete(svc.bus.streamNameOf('AUDIT'));
  try {
    const r = await gqlRequest<any>(svc.graphql, await tokenFor('analyst'), QUERY, { c: a.customerId });
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(r)).not.toContain('FGT');
    const own = await gqlRequest<any>(svc.graphql, await tokenFor('customer_viewer', { customerId: a.customerId }), QUERY, { c: a.customerId });
    expect(own.errors).toBeUndefined();
    expect(own.data.alerts.edges).toHaveLength(2);
  } finally {
    await svc.bus.ensureStreams(['AUDIT']);
  }
});
