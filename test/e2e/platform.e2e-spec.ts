import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { eventually, gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { signContract } from '../../scripts/seed';
import { Suite } from '../../scripts/suite';
import { bootSuite, PORT_OFFSET, SUBGRAPH_SECRET } from './suite.fixture';

jest.setTimeout(120000);

let suite: Suite;
let url: string;
const ids = { partner: '', partnerCustomer: '', directCustomer: '', otherPartner: '', directIncident: '', partnerSensor: '' };

const CROSS_QUERY = `{
  customers {
    id name partner { name }
    sensors { name product status }
    incidents { edges { node { id title severity } } }
    endpoints { hostName edrProduct }
  }
}`;

beforeAll(async () => {
  suite = await bootSuite();
  url = suite.gatewayUrl;
  const admin = await tokenFor('provider_admin');
  const engineer = await tokenFor('engineer');
  const createPartner = (name: string) => gqlOk<{ createPartner: { id: string } }>(url, admin, 'mutation($i: CreatePartnerInput!) { createPartner(input: $i) { id } }', { i: { name } });
  ids.partner = (await createPartner('Reseller One')).createPartner.id;
  ids.otherPartner = (await createPartner('Reseller Two')).createPartner.id;
  const createCustomer = async (name: string, partnerId: string | null) =>
    (await gqlOk<{ createCustomer: { id: string } }>(url, admin, 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', { i: { name, partnerId } })).createCustomer.id;
  ids.partnerCustomer = await createCustomer('Partner Customer KK', ids.partner);
  ids.directCustomer = await createCustomer('Direct Customer KK', null);
  // Sensors are registered for customers with a signed contract.
  await signContract(url, admin, ids.partnerCustomer);
  await signContract(url, admin, ids.directCustomer);
  // The other subgraphs learn about the customers from contracts' events.
  ids.partnerSensor = (
    await eventually(() =>
      gqlOk<{ registerSensor: { sensor: { id: string } } }>(url, admin, 'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } ingestToken } }', {
        i: { customerId: ids.partnerCustomer, product: 'FIREEYE_NX', name: 'NX partner' },
      }),
    )
  ).registerSensor.sensor.id;
  await eventually(() => gqlOk(url, admin, 'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } } }', { i: { customerId: ids.directCustomer, product: 'FORTIGATE', name: 'FGT direct' } }));
  ids.directIncident = (
    await eventually(() =>
      gqlOk<{ openIncident: { id: string } }>(url, admin, 'mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }', { i: { customerId: ids.directCustomer, severity: 'HIGH', title: 'Direct incident' } }),
    )
  ).openIncident.id;
  await eventually(() => gqlOk(url, admin, 'mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }', { i: { customerId: ids.partnerCustomer, severity: 'LOW', title: 'Partner incident' } }));
  await eventually(() =>
    gqlOk(url, engineer, 'mutation($i: RegisterEndpointInput!) { registerEndpoint(input: $i) { id } }', {
      i: { customerId: ids.partnerCustomer, hostName: 'PC-001', edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: 'aid-001' },
    }),
  );
}, 180000);

afterAll(async () => {
  await suite?.stop();
});

type Customers = { customers: { id: string; name: string; partner: { name: string } | null; sensors: { name: string }[]; incidents: { edges: { node: { title: string } }[] }; endpoints: { hostName: string }[] }[] };

describe('one query across four subgraphs through the gateway', () => {
  it('shows provider staff every customer with its sensors, incidents and endpoints', async () => {
    const { customers } = await gqlOk<Customers>(url, await tokenFor('analyst'), CROSS_QUERY);
    const byName = Object.fromEntries(customers.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['Direct Customer KK', 'Partner Customer KK']);
    expect(byName['Partner Customer KK']).toMatchObject({
      partner: { name: 'Reseller One' },
      sensors: [{ name: 'NX partner', product: 'FIREEYE_NX', status: 'UNKNOWN' }],
      incidents: { edges: [{ node: { title: 'Partner incident', severity: 'LOW' } }] },
      endpoints: [{ hostName: 'PC-001', edrProduct: 'CROWDSTRIKE_FALCON' }],
    });
    expect(byName['Direct Customer KK']).toMatchObject({ partner: null, sensors: [{ name: 'FGT direct' }], incidents: { edges: [{ node: { title: 'Direct incident' } }] }, endpoints: [] });
  });

  it('shows a partner its own customer and not the direct customer', async () => {
    const { customers } = await gqlOk<Customers>(url, await tokenFor('partner_admin', { partnerId: ids.partner }), CROSS_QUERY);
    expect(customers.map((c) => c.name)).toEqual(['Partner Customer KK']);
    expect(customers[0].sensors.map((s) => s.name)).toEqual(['NX partner']);
    expect(customers[0].incidents.edges.map((e) => e.node.title)).toEqual(['Partner incident']);
  });

  it('shows another partner nothing of these customers', async () => {
    const { customers } = await gqlOk<Customers>(url, await tokenFor('partner_admin', { partnerId: ids.otherPartner }), CROSS_QUERY);
    expect(customers).toEqual([]);
  });

  it('shows a customer only its own data', async () => {
    const token = await tokenFor('customer_viewer', { customerId: ids.directCustomer });
    const { customers } = await gqlOk<Customers>(url, token, CROSS_QUERY);
    expect(customers.map((c) => c.name)).toEqual(['Direct Customer KK']);
    expect(customers[0].incidents.edges.map((e) => e.node.title)).toEqual(['Direct incident']);
  });

  it("makes another tenant's objects indistinguishable from missing ones", async () => {
    const token = await tokenFor('customer_admin', { customerId: ids.partnerCustomer });
    const data = await gqlOk<{ customer: unknown; incident: unknown; sensors: unknown[]; incidents: { edges: unknown[] } }>(
      url,
      token,
      'query($c: ID!, $i: ID!) { customer(id: $c) { name } incident(id: $i) { title } sensors(customerId: $c) { name } incidents(filter: { customerId: $c }) { edges { node { id } } } }',
      { c: ids.directCustomer, i: ids.directIncident },
    );
    expect(data).toEqual({ customer: null, incident: null, sensors: [], incidents: { edges: [] } });
    const missing = await gqlOk<{ customer: unknown }>(url, token, 'query($c: ID!) { customer(id: $c) { name } }', { c: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toEqual({ customer: null });
  });
});

describe('authentication', () => {
  it('answers an invalid token with UNAUTHENTICATED and HTTP 401', async () => {
    const r = await gqlRequest(url, 'eyJhbGciOiJIUzI1NiJ9.e30.invalid', '{ customers { id } }');
    expect(r.status).toBe(401);
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.data ?? null).toBeNull();
  });

  it('answers a missing token with UNAUTHENTICATED', async () => {
    const r = await gqlRequest(url, null, '{ customers { id } }');
    expect(r.errors?.[0]).toMatchObject({ message: 'missing Authorization header (expected "Bearer <token>")', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('has every subgraph refuse a call without the gateway credential', async () => {
    for (const p of suite.processes.filter((x) => x.name !== 'gateway')) {
      const r = await gqlRequest(`http://127.0.0.1:${p.port}/graphql`, await tokenFor('provider_admin'), '{ __typename }');
      expect([p.name, r.status, r.errors?.[0].extensions?.code]).toEqual([p.name, 401, 'UNAUTHENTICATED']);
    }
  });

  it('has every subgraph verify the token again when called directly', async () => {
    const ingestion = `http://127.0.0.1:${4102 + PORT_OFFSET}/graphql`;
    const gw = { 'x-kanshi-gateway-secret': SUBGRAPH_SECRET };
    const r = await gqlRequest(ingestion, 'forged', '{ sensors { id } }', {}, gw);
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // A direct entity lookup for another tenant's customer reveals nothing either.
    const token = await tokenFor('customer_viewer', { customerId: ids.directCustomer });
    const entities = await gqlRequest<{ _entities: { sensors: unknown[] }[] }>(ingestion, token, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { sensors { name } } } }', {
      r: [{ __typename: 'Customer', id: ids.partnerCustomer }],
    }, gw);
    expect(entities.data?._entities).toEqual([{ sensors: [] }]);
  });

  it('refuses a role without the right with FORBIDDEN', async () => {
    const r = await gqlRequest(url, await tokenFor('customer_admin', { customerId: ids.directCustomer }), '{ detectionRules { name } }');
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('gateway protections', () => {
  it('rejects a query deeper than the limit', async () => {
    let deep = 'id';
    for (let i = 0; i < 7; i++) deep = `customers { partner { ${deep} } }`;
    deep = `{ ${deep} }`;
    const r = await gqlRequest(url, await tokenFor('analyst'), deep);
    expect(r.errors?.[0]).toMatchObject({ message: 'query depth 15 exceeds the limit of 12', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'QUERY_TOO_DEEP' } });
  });

  it('refuses a query of about 1 MiB while parsing it, naming the token limit', async () => {
    const query = `{ customers { ${'id '.repeat(300_000)}} }`;
    const r = await gqlRequest(url, await tokenFor('analyst'), query);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/more th\w+ 5000 tokens/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });

  it('answers an ID argument that is no UUID with BAD_USER_INPUT naming it, from every subgraph', async () => {
    const token = await tokenFor('provider_admin');
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['contracts', 'query($id: ID!) { customer(id: $id) { name } }', { id: 'nope' }, 'id'],
      ['incident', 'query($id: ID!) { incident(id: $id) { title } }', { id: '42' }, 'id'],
      ['ingestion', 'query($c: ID) { sensors(customerId: $c) { name } }', { c: "x' OR 1=1" }, 'customerId'],
      ['analysis', 'query($id: ID!) { alertGroup(id: $id) { id } }', { id: 'nope' }, 'id'],
      ['endpoint-response', 'query($id: ID!) { isolation(id: $id) { id } }', { id: 'nope' }, 'id'],
      ['reporting', 'query($c: ID) { reports(customerId: $c) { id } }', { c: 'nope' }, 'customerId'],
      ['incident, in an input object', 'query($c: ID) { incidents(filter: { customerId: $c }) { edges { node { id } } } }', { c: 'nope' }, 'filter.customerId'],
    ];
    for (const [subgraph, query, variables, field] of cases) {
      const r = await gqlRequest(url, token, query, variables);
      expect([subgraph, r.errors?.[0]]).toEqual([subgraph, expect.objectContaining({ message: expect.stringContaining('is not an id (a UUID)'), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) })]);
    }
  });

  it('rejects a batch of more operations than allowed', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('analyst')}` },
      body: JSON.stringify(Array.from({ length: 11 }, () => ({ query: '{ plans { code } }' }))),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'BATCH_TOO_LARGE' } }] });
  });

  it('refuses a simple GET mutation-less request without a CSRF-safe header', async () => {
    const res = await fetch(`${url}?query=${encodeURIComponent('{ plans { code } }')}`, { headers: { authorization: `Bearer ${await tokenFor('analyst')}` } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
  });

  it('carries a correlation id from the caller to the response', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'case-4711', authorization: `Bearer ${await tokenFor('analyst')}` },
      body: JSON.stringify({ query: '{ plans { code monthlyFee } }' }),
    });
    expect(res.headers.get('x-correlation-id')).toBe('case-4711');
    const body = (await res.json()) as { data: { plans: { code: string; monthlyFee: number | null }[] } };
    expect(body.data.plans.find((p) => p.code === 'FE_SECURITY_MONITORING')?.monthlyFee).toBe(480000);
  });
});

describe('operations', () => {
  it('reports every process ready, with metrics', async () => {
    for (const p of suite.processes) {
      const ready = await fetch(`http://127.0.0.1:${p.port}/health/ready`);
      expect([p.name, ready.status]).toEqual([p.name, 200]);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${4101 + PORT_OFFSET}/metrics`)).text();
    expect(metrics).toMatch(/kanshi_outbox_published_total\{schema="contracts",service="contracts"\} \d+/);
  });

  it('stops a service gracefully on SIGTERM', async () => {
    const reporting = suite.processes.find((p) => p.name === 'reporting')!;
    const exit = new Promise<number | null>((resolve) => reporting.child.once('exit', (code) => resolve(code)));
    reporting.child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses to start with bad configuration and names the variable', () => {
    const main = path.resolve(__dirname, '../../dist/services/incident/src/main.js');
    const r = spawnSync(process.execPath, [main], { env: { ...process.env, PORT: 'eighty', JWT_SECRET: 'short', DATABASE_URL: 'postgres://127.0.0.1/x' }, encoding: 'utf8', timeout: 20000 });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('incident: invalid configuration');
    expect(r.stderr).toContain('PORT must be an integer (got "eighty")');
  });
});
