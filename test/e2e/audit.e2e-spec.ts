// The audit trail through the gateway (issue 15 item 15): an analyst's read that spans two
// subgraphs leaves an entry from each, with the address the gateway saw (a client cannot set it),
// and each customer administrator sees only the entries about its own customer.
import { gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { Suite } from '../../scripts/suite';
import { bootSuite } from './suite.fixture';

jest.setTimeout(180000);

let suite: Suite;
let url: string;
let a: string;
let b: string;

const TRAIL = `query($f: AuditTrailFilter) { auditTrail(filter: $f, first: 50) { edges { node { actorId actorRole service operationType operationName customerIds clientIp fields { path } } } } }`;

beforeAll(async () => {
  suite = await bootSuite();
  url = suite.gatewayUrl;
  const sales = await tokenFor('sales');
  const create = async (name: string) => (await gqlOk<{ createCustomer: { id: string } }>(url, sales, 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', { i: { name } })).createCustomer.id;
  a = await create('E2E 監査顧客A株式会社');
  b = await create('E2E 監査顧客B株式会社');
}, 180000);
afterAll(async () => {
  await suite?.stop();
});

async function eventuallyEntries(token: string, filter: Record<string, unknown>, atLeast: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await gqlOk<{ auditTrail: { edges: { node: any }[] } }>(url, token, TRAIL, { f: filter });
    if (r.auditTrail.edges.length >= atLeast || Date.now() > deadline) return r.auditTrail.edges.map((e) => e.node);
    await new Promise((res) => setTimeout(res, 300));
  }
}

it("records an analyst's read in every subgraph it reached, with the gateway's view of the address", async () => {
  const analyst = await tokenFor('analyst', { sub: 'e2e-analyst' });
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}`, 'x-kanshi-client-ip': '6.6.6.6' },
    body: JSON.stringify({ query: `query CustomerSensors($id: ID!) { customer(id: $id) { id name sensors { id } } }`, variables: { id: a } }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  expect(body.data.customer.id).toBe(a);

  const admin = await tokenFor('provider_admin');
  const entries = await eventuallyEntries(admin, { customerId: a, actorId: 'e2e-analyst' }, 2);
  expect(entries.map((e) => e.service).sort()).toEqual(['contracts', 'ingestion']);
  for (const e of entries) {
    expect(e).toMatchObject({ actorRole: 'analyst', operationType: 'QUERY', customerIds: [a] });
    expect(e.clientIp).toMatch(/127\.0\.0\.1|::1/);
  }
  expect(entries.find((e) => e.service === 'contracts').fields).toEqual([{ path: 'customer' }]);
  expect(entries.find((e) => e.service === 'ingestion').fields).toEqual([{ path: '_entities' }]);

  const own = await eventuallyEntries(await tokenFor('customer_admin', { customerId: a }), { actorId: 'e2e-analyst' }, 2);
  expect(own.length).toBeGreaterThanOrEqual(2);
  const other = await gqlOk<{ auditTrail: { edges: unknown[] } }>(url, await tokenFor('customer_admin', { customerId: b }), TRAIL, { f: { actorId: 'e2e-analyst' } });
  expect(other.auditTrail.edges).toEqual([]);
  const viewer = await gqlRequest(url, await tokenFor('customer_viewer', { customerId: a }), TRAIL, {});
  expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});
