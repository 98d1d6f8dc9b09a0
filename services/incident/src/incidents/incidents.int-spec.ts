// Incidents through the subgraph against the real database: who may open one, who sees which,
// paging, bad input, and incident.opened in the outbox.
import { randomUUID } from 'node:crypto';
import { IncidentOpened } from '@kanshi/events';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'incident', schema: 'incident', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

const OPEN = `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id customerId severity status title description } }`;
const LIST = `query($f: IncidentFilter, $first: Int, $after: String) { incidents(filter: $f, first: $first, after: $after) { edges { cursor node { id title customerId } } pageInfo { hasNextPage endCursor } } }`;
const ONE = `query($id: ID!) { incident(id: $id) { id title } }`;

async function open(customerId: string, title = 'Emotet on pc-001', severity = 'HIGH'): Promise<{ id: string; title: string }> {
  return (await kit.ok('analyst', OPEN, { i: { customerId, severity, title } })).openIncident;
}
const countFor = async (customerId: string) => Number((await kit.ds.query(`SELECT count(*) AS n FROM incident.incident WHERE customer_id = $1`, [customerId]))[0].n);

describe('openIncident', () => {
  it('opens a NEW incident and writes incident.opened to the outbox with it', async () => {
    const { customerId } = await kit.createCustomer();
    const { openIncident } = await kit.ok('engineer', OPEN, { i: { customerId, severity: 'MEDIUM', title: 'Malware blocked on pc-7' } });
    expect(openIncident).toMatchObject({ customerId, severity: 'MEDIUM', status: 'NEW', title: 'Malware blocked on pc-7', description: '' });
    expect(await kit.outbox(IncidentOpened.subject, customerId)).toEqual([
      { eventId: expect.any(String), customerId, body: { incidentId: openIncident.id, severity: 'MEDIUM', status: 'NEW', title: 'Malware blocked on pc-7' } },
    ]);
  });

  it.each([['sales'], ['partner_admin'], ['customer_admin']] as const)('is FORBIDDEN to %s, and writes nothing', async (role) => {
    const { customerId, partnerId } = await kit.createCustomer({ partnerId: randomUUID() });
    const r = await kit.gql(role, OPEN, { i: { customerId, severity: 'HIGH', title: 'x' } }, { partnerId: partnerId!, customerId });
    expect(r.errors?.[0]).toMatchObject({ message: `role ${role} may not open incidents`, extensions: { code: 'FORBIDDEN', reason: 'FORBIDDEN' } });
    expect(await countFor(customerId)).toBe(0);
    expect(await kit.outbox(IncidentOpened.subject, customerId)).toEqual([]);
  });

  it('answers a customer it does not know with NOT_FOUND on customerId', async () => {
    const customerId = randomUUID();
    const r = await kit.gql('analyst', OPEN, { i: { customerId, severity: 'HIGH', title: 'x' } });
    expect(r.errors?.[0]).toMatchObject({ message: `customer ${customerId} not found`, extensions: { code: 'NOT_FOUND', reason: 'CUSTOMER_NOT_FOUND', field: 'customerId' } });
  });

  it.each([
    ['an empty title', { title: '' }, 'title'],
    ['a severity that does not exist', { severity: 'CRITICAL' }, 'severity'],
    ['a customer id that is not an id', { customerId: 'acme' }, 'customerId'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_, over, field) => {
    const { customerId } = await kit.createCustomer();
    const r = await kit.gql('analyst', OPEN, { i: { customerId, severity: 'HIGH', title: 'ok', ...over } });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain(field);
    expect(await countFor(customerId)).toBe(0);
  });
});

describe('who sees which incidents', () => {
  it('shows a customer only its own; another tenant’s id reads as null', async () => {
    const mine = await kit.createCustomer();
    const theirs = await kit.createCustomer();
    const own = await open(mine.customerId, 'mine');
    const other = await open(theirs.customerId, 'theirs');
    const ids = { customerId: mine.customerId };
    const { incidents } = await kit.ok('customer_viewer', LIST, { first: 200 }, ids);
    expect(incidents.edges.map((e: { node: { customerId: string } }) => e.node.customerId)).toEqual(incidents.edges.map(() => mine.customerId));
    expect(incidents.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([own.id]);
    expect((await kit.ok('customer_viewer', ONE, { id: other.id }, ids)).incident).toBeNull();
    expect((await kit.ok('customer_viewer', ONE, { id: own.id }, ids)).incident).toEqual({ id: own.id, title: 'mine' });
    // filtering for another tenant finds nothing rather than their incidents
    expect((await kit.ok('customer_admin', LIST, { f: { customerId: theirs.customerId } }, ids)).incidents.edges).toEqual([]);
  });

  it('shows a partner its own customers’ incidents, never another partner’s', async () => {
    const p1 = randomUUID();
    const ours = await kit.createCustomer({ partnerId: p1 });
    const other = await kit.createCustomer({ partnerId: randomUUID() });
    const a = await open(ours.customerId, 'ours');
    const b = await open(other.customerId, 'other partner');
    const { incidents } = await kit.ok('partner_admin', LIST, { first: 200 }, { partnerId: p1 });
    expect(incidents.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([a.id]);
    expect((await kit.ok('partner_admin', ONE, { id: b.id }, { partnerId: p1 })).incident).toBeNull();
    // through the federated reference too (what the gateway asks for)
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Incident { id } } }`;
    const { _entities } = await kit.ok('partner_admin', entities, { r: [{ __typename: 'Incident', id: a.id }, { __typename: 'Incident', id: b.id }] }, { partnerId: p1 });
    expect(_entities).toEqual([{ id: a.id }, null]);
  });
});

describe('paging', () => {
  it('pages newest first with first/after, and says when there is more', async () => {
    const { customerId } = await kit.createCustomer();
    for (const title of ['1st', '2nd', '3rd']) await open(customerId, title);
    const ids = { customerId };
    const page1 = (await kit.ok('customer_viewer', LIST, { first: 2 }, ids)).incidents;
    expect(page1.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual(['3rd', '2nd']);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[1].cursor });
    const page2 = (await kit.ok('customer_viewer', LIST, { first: 2, after: page1.pageInfo.endCursor }, ids)).incidents;
    expect(page2.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual(['1st']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('pages a customer’s incidents on the federated Customer.incidents', async () => {
    const { customerId } = await kit.createCustomer();
    for (const title of ['a', 'b']) await open(customerId, title);
    const q = `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Customer { incidents(first: 1, after: $after) { edges { node { title } } pageInfo { hasNextPage endCursor } } } } }`;
    const r = [{ __typename: 'Customer', id: customerId }];
    const first = (await kit.ok('analyst', q, { r }))._entities[0].incidents;
    expect(first).toMatchObject({ edges: [{ node: { title: 'b' } }], pageInfo: { hasNextPage: true } });
    const next = (await kit.ok('analyst', q, { r, after: first.pageInfo.endCursor }))._entities[0].incidents;
    expect(next).toMatchObject({ edges: [{ node: { title: 'a' } }], pageInfo: { hasNextPage: false } });
  });

  it.each([
    ['a page size of 0', { first: 0 }, 'first'],
    ['a page size over 200', { first: 201 }, 'first'],
    ['a cursor this API never returned', { after: 'not-a-cursor' }, 'after'],
  ])('refuses %s as BAD_USER_INPUT naming the argument', async (_, vars, field) => {
    const r = await kit.gql('analyst', LIST, vars);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain(field);
  });
});
