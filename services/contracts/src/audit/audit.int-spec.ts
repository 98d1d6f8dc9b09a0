// The audit trail (issue 15 item 15): provider staff or a partner reading or changing a customer's
// data leaves an entry (who, what, when, from where) that contracts records and shows to the
// provider's administrators and to that customer's administrator, and to no other customer.
// The same plugin runs in every subgraph: ingestion's alerts-audit.int-spec.ts covers an analyst
// reading alerts and a read refused when the entry cannot be written.
import { randomUUID } from 'node:crypto';
import { CustomerDataPurged, DataAccessRecorded } from '@kanshi/events';
import { eventually, gqlRequest, tokenFor } from '@kanshi/testing';
import { ContractsKit, createCustomer, createPartner, startContracts } from '../contracts.int-kit';

jest.setTimeout(120_000);

const TRAIL = `query($f: AuditTrailFilter, $first: Int, $after: String) { auditTrail(filter: $f, first: $first, after: $after) {
  edges { node { id at actorId actorRole actorPartnerId service operationType operationName fields { path arguments } fieldPaths customerIds clientIp } }
  pageInfo { hasNextPage endCursor } } }`;

let kit: ContractsKit;

beforeAll(async () => {
  kit = await startContracts({ now: new Date().toISOString(), messaging: true });
});
afterAll(async () => {
  await kit?.close();
});

async function trailFor(actorId: string, customerId: string) {
  return eventually(
    async () => {
      const r = await kit.ok('provider_admin', TRAIL, { f: { customerId, actorId } });
      if (!r.auditTrail.edges.length) throw new Error('no entry yet');
      return r.auditTrail.edges.map((e: any) => e.node);
    },
    { timeoutMs: 20_000 },
  );
}

describe('audit trail', () => {
  let partner: { id: string };
  let a: { id: string };
  let b: { id: string };

  beforeAll(async () => {
    partner = await createPartner(kit);
    a = await createCustomer(kit, { partnerId: partner.id });
    b = await createCustomer(kit);
  });

  it("records an analyst reading a customer: who, what, when and from where, for the provider's administrators", async () => {
    const before = Date.now();
    const read = await gqlRequest<{ customer: { id: string; name: string } }>(
      kit.graphqlUrl,
      await tokenFor('analyst', { sub: 'analyst-hanako' }),
      `query AnalystLookup($id: ID!) { customer(id: $id) { id name } }`,
      { id: a.id },
      { 'x-kanshi-client-ip': '203.0.113.7' },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.customer.id).toBe(a.id);

    const [entry] = await trailFor('analyst-hanako', a.id);
    expect(entry).toMatchObject({
      actorId: 'analyst-hanako',
      actorRole: 'analyst',
      actorPartnerId: null,
      service: 'contracts',
      operationType: 'QUERY',
      operationName: 'AnalystLookup',
      fields: [{ path: 'customer', arguments: { id: a.id } }],
      customerIds: [a.id],
      clientIp: '203.0.113.7',
    });
    expect(entry.fieldPaths).toEqual(expect.arrayContaining(['Query.customer', 'Customer.name']));
    expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('records a partner reading its customers, with the partner it acted for', async () => {
    const r = await gqlRequest(kit.graphqlUrl, await tokenFor('partner_admin', { partnerId: partner.id, sub: 'partner-taro' }), `{ customers { id } }`);
    expect(r.errors).toBeUndefined();
    const [entry] = await trailFor('partner-taro', a.id);
    expect(entry).toMatchObject({ actorRole: 'partner_admin', actorPartnerId: partner.id, customerIds: [a.id] });
  });

  it("shows a customer administrator the entries about its own customer only, and nothing of another's", async () => {
    await trailFor('analyst-hanako', a.id);
    const own = await kit.ok('customer_admin', TRAIL, {}, { customerId: a.id });
    expect(own.auditTrail.edges.map((e: any) => e.node.actorId)).toEqual(expect.arrayContaining(['analyst-hanako', 'partner-taro']));
    expect(own.auditTrail.edges.every((e: any) => e.node.customerIds.length === 1 && e.node.customerIds[0] === a.id)).toBe(true);
    // Customer B asks for A's entries: nothing, as if there were none.
    const other = await kit.ok('customer_admin', TRAIL, { f: { customerId: a.id } }, { customerId: b.id });
    expect(other.auditTrail.edges).toEqual([]);
    const otherAll = await kit.ok('customer_admin', TRAIL, {}, { customerId: b.id });
    expect(otherAll.auditTrail.edges.filter((e: any) => e.node.customerIds.includes(a.id))).toEqual([]);
  });

  it('refuses the audit trail to every role but provider_admin and customer_admin', async () => {
    for (const role of ['analyst', 'sales', 'partner_admin', 'customer_viewer'] as const) {
      const r = await kit.gql(role, TRAIL, {}, { partnerId: partner.id, customerId: a.id });
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('does not audit a customer reading its own data', async () => {
    const r = await gqlRequest(kit.graphqlUrl, await tokenFor('customer_viewer', { customerId: b.id, sub: 'customer-b-viewer' }), `query($id: ID!) { customer(id: $id) { id name } }`, { id: b.id });
    expect(r.errors).toBeUndefined();
    await trailFor('analyst-hanako', a.id); // the consumer is running
    await new Promise((res) => setTimeout(res, 1000));
    const trail = await kit.ok('provider_admin', TRAIL, { f: { actorId: 'customer-b-viewer' } });
    expect(trail.auditTrail.edges).toEqual([]);
  });

  it('records a change by provider staff through the outbox, committed with the change', async () => {
    const customer = await createCustomer(kit);
    const [entry] = await trailFor('test-sales', customer.id);
    expect(entry).toMatchObject({ service: 'contracts', operationType: 'MUTATION', actorRole: 'sales', customerIds: [customer.id] });
    expect(entry.fields[0].path).toBe('createCustomer');
    const rows = await kit.ds.query(`SELECT count(*)::int AS n FROM contracts.outbox WHERE subject = $1 AND payload->>'customerId' = $2`, [DataAccessRecorded.subject, customer.id]);
    expect(rows[0].n).toBe(1);
  });

  it('stores an entry once however often it is delivered, with its arguments as recorded', async () => {
    const customerId = a.id;
    const eventId = await kit.publish(
      DataAccessRecorded,
      { actorId: 'engineer-x', actorRole: 'engineer', actorPartnerId: null, service: 'endpoint-response', operationType: 'mutation', operationName: null, fields: [{ path: 'configureEdr', arguments: { input: { clientSecret: '[redacted]' } } }], fieldPaths: ['Mutation.configureEdr'], customerIds: [customerId], clientIp: '198.51.100.2', at: new Date().toISOString() },
      customerId,
    );
    // a second entry of the same person
    await kit.publish(DataAccessRecorded, { actorId: 'engineer-x', actorRole: 'engineer', actorPartnerId: null, service: 'endpoint-response', operationType: 'mutation', operationName: null, fields: [], fieldPaths: [], customerIds: [customerId], clientIp: null, at: new Date().toISOString() }, customerId);
    const entries = await eventually(async () => {
      const e = await trailFor('engineer-x', customerId);
      if (e.length < 2) throw new Error('not yet');
      return e;
    });
    expect(entries.find((e: any) => e.id === eventId).fields[0].arguments).toEqual({ input: { clientSecret: '[redacted]' } });
  });

  it('pages newest first and rejects a malformed cursor naming the argument', async () => {
    const first = await kit.ok('provider_admin', TRAIL, { f: { customerId: a.id }, first: 1 });
    expect(first.auditTrail.pageInfo.hasNextPage).toBe(true);
    const next = await kit.ok('provider_admin', TRAIL, { f: { customerId: a.id }, first: 1, after: first.auditTrail.pageInfo.endCursor });
    expect(next.auditTrail.edges[0].node.id).not.toBe(first.auditTrail.edges[0].node.id);
    expect(Date.parse(next.auditTrail.edges[0].node.at)).toBeLessThanOrEqual(Date.parse(first.auditTrail.edges[0].node.at));
    const bad = await kit.gql('provider_admin', TRAIL, { after: 'garbage' });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0].message).toMatch(/after/);
    const badFirst = await kit.gql('provider_admin', TRAIL, { first: 0 });
    expect(badFirst.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('data purges', () => {
  const PURGES = `query($c: ID) { dataPurges(customerId: $c) { edges { node { purgeId customerId service tables { table rows } totalRows purgedAt } } } }`;

  it("records each service's report of a purge once, for provider_admin only", async () => {
    const customerId = randomUUID();
    const purgeEventId = randomUUID();
    const body = { purgeEventId, customerId, service: 'ingestion', tables: [{ table: 'ingestion.alert', rows: 12 }, { table: 'ingestion.sensor', rows: 1 }], purgedAt: new Date().toISOString() };
    await kit.publish(CustomerDataPurged, body, customerId);
    await kit.publish(CustomerDataPurged, { ...body, tables: [{ table: 'ingestion.alert', rows: 0 }, { table: 'ingestion.sensor', rows: 0 }] }, customerId);
    const purges = await eventually(async () => {
      const r = await kit.ok('provider_admin', PURGES, { c: customerId });
      if (!r.dataPurges.edges.length) throw new Error('not yet');
      return r.dataPurges.edges;
    });
    await new Promise((res) => setTimeout(res, 500));
    const again = await kit.ok('provider_admin', PURGES, { c: customerId });
    expect(again.dataPurges.edges).toHaveLength(1);
    expect(purges[0].node).toMatchObject({ purgeId: purgeEventId, customerId, service: 'ingestion', totalRows: 13, tables: body.tables });
    const refused = await kit.gql('customer_admin', PURGES, {}, { customerId });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
