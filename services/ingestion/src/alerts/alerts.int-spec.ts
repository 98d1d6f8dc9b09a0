import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gqlOk, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, registerSensor, TestService } from '../int-spec-helpers';

jest.setTimeout(60_000);

const FIXTURES = path.resolve(__dirname, '../parsers/__fixtures__');
const FORTIGATE = readFileSync(path.join(FIXTURES, 'fortigate-utm.log'), 'utf8').trim().split('\n');
const FIREEYE = readFileSync(path.join(FIXTURES, 'fireeye-nx-extended.json'), 'utf8');

let svc: TestService;
beforeAll(async () => {
  svc = await bootIngestion();
});
afterAll(async () => {
  await svc?.close();
});

const QUERY = `query($f: AlertFilter, $first: Int, $after: String) { alerts(filter: $f, first: $first, after: $after) {
  edges { node { id customerId sensorId sensor { id name } product ruleName vendorSeverity severity severityScore blocked groupKey
    hostName hostIp sourceIp destinationIp userName fileName fileHash ecs raw repeatCount receivedAt occurredAt vendorEventId } }
  pageInfo { hasNextPage endCursor } } }`;

type Alerts = { alerts: { edges: { node: Record<string, any> }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

// Each post a request of its own (its own Idempotency-Key: an identical body alone would be a resend).
let requests = 0;
async function post(s: { sensorId: string; token: string }, body: string, contentType = 'text/plain') {
  const res = await fetch(`${svc.url}/ingest/v1/sensors/${s.sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': contentType, 'idempotency-key': `alerts-spec-${++requests}` }, body });
  expect(res.status).toBe(200);
}

describe('alerts query', () => {
  const partnerId = randomUUID();
  let a: { customerId: string };
  let b: { customerId: string };
  let fgt: { sensorId: string; token: string };
  let nx: { sensorId: string; token: string };

  beforeAll(async () => {
    a = await createCustomer(svc, { partnerId });
    b = await createCustomer(svc);
    fgt = await registerSensor(svc, a.customerId, { product: 'FORTIGATE', name: 'FGT A' });
    nx = await registerSensor(svc, b.customerId, { product: 'FIREEYE_NX', name: 'NX B' });
    await post(fgt, FORTIGATE.join('\n'));
    await post(nx, FIREEYE, 'application/json');
    await post(nx, FIREEYE, 'application/json');
  });

  it('shows a customer only its own alerts, even when it asks for another customer’s', async () => {
    const token = await tokenFor('customer_viewer', { customerId: a.customerId });
    const own = await gqlOk<Alerts>(svc.graphql, token, QUERY);
    expect(own.alerts.edges.map((e) => e.node.customerId)).toEqual([a.customerId, a.customerId]);
    const other = await gqlOk<Alerts>(svc.graphql, token, QUERY, { f: { customerId: b.customerId } });
    expect(other.alerts.edges).toEqual([]);
    const bySensor = await gqlOk<Alerts>(svc.graphql, token, QUERY, { f: { sensorId: nx.sensorId } });
    expect(bySensor.alerts.edges).toEqual([]);
  });

  it('shows a partner its customers’ alerts only', async () => {
    const res = await gqlOk<Alerts>(svc.graphql, await tokenFor('partner_admin', { partnerId }), QUERY);
    expect(new Set(res.alerts.edges.map((e) => e.node.customerId))).toEqual(new Set([a.customerId]));
  });

  it('gives analysts every field of API.md: the normalized fields, ECS as JSON, the raw text and the repeat count', async () => {
    const res = await gqlOk<Alerts>(svc.graphql, await tokenFor('analyst'), QUERY, { f: { sensorId: nx.sensorId } });
    expect(res.alerts.edges).toHaveLength(1);
    const alert = res.alerts.edges[0].node;
    expect(alert).toMatchObject({
      customerId: b.customerId,
      sensor: { id: nx.sensorId, name: 'NX B' },
      product: 'FIREEYE_NX',
      ruleName: 'Trojan.QakBot',
      vendorSeverity: 'majr',
      severity: 'HIGH',
      severityScore: 73,
      blocked: true,
      hostIp: '10.60.13.48',
      sourceIp: '10.60.13.48',
      destinationIp: '192.0.2.66',
      vendorEventId: '52716',
      repeatCount: 2,
      raw: FIREEYE.trim(),
      occurredAt: '2026-11-21T01:58:26.000Z',
    });
    expect(alert.ecs).toMatchObject({ event: { kind: 'alert' }, observer: { vendor: 'FireEye' }, destination: { ip: '192.0.2.66' } });
  });

  it('filters by sensor, severity and time, and pages newest first', async () => {
    const analyst = await tokenFor('analyst');
    const all = await gqlOk<Alerts>(svc.graphql, analyst, QUERY, { f: { sensorId: fgt.sensorId } });
    expect(all.alerts.edges.map((e) => e.node.severity).sort()).toEqual(['CRITICAL', 'MEDIUM']);
    const critical = await gqlOk<Alerts>(svc.graphql, analyst, QUERY, { f: { sensorId: fgt.sensorId, minSeverity: 'HIGH' } });
    expect(critical.alerts.edges.map((e) => e.node.severity)).toEqual(['CRITICAL']);
    const none = await gqlOk<Alerts>(svc.graphql, analyst, QUERY, { f: { sensorId: fgt.sensorId, to: '2020-01-01T00:00:00Z' } });
    expect(none.alerts.edges).toEqual([]);
    const page1 = await gqlOk<Alerts>(svc.graphql, analyst, QUERY, { f: { customerId: a.customerId }, first: 1 });
    expect(page1.alerts.pageInfo.hasNextPage).toBe(true);
    const page2 = await gqlOk<Alerts>(svc.graphql, analyst, QUERY, { f: { customerId: a.customerId }, first: 1, after: page1.alerts.pageInfo.endCursor });
    expect(page2.alerts.pageInfo.hasNextPage).toBe(false);
    expect(page2.alerts.edges[0].node.id).not.toBe(page1.alerts.edges[0].node.id);
  });
});
