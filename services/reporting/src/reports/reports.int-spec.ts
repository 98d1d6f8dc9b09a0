// Reports through the subgraph against the real database: who sees which, filters, bad input,
// and a list too long to answer is an error, never a silently cut list.
import { randomUUID } from 'node:crypto';
import { SubgraphKit } from '@kanshi/testing';
import { startReporting } from '../testing/reporting-kit';
import { REPORT_LIST_LIMIT } from './reports.service';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startReporting();
});
afterAll(() => kit?.close());

const LIST = `query($customerId: ID, $kind: ReportKind) { reports(customerId: $customerId, kind: $kind) { id customerId kind title } }`;

// Reports are rendered from events that are not built yet: the rows are written directly.
async function createReports(customerId: string, n = 1, kind = 'MONTHLY'): Promise<string[]> {
  const rows: { id: string }[] = await kit.ds.query(
    `INSERT INTO reporting.report (customer_id, kind, title, created_at)
     SELECT $1, $2, 'Report ' || g, now() - make_interval(secs => g) FROM generate_series(1, $3) g RETURNING id`,
    [customerId, kind, n],
  );
  return rows.map((r) => r.id);
}

describe('who sees which reports', () => {
  it('shows a customer only its own; another tenant’s id reads as null', async () => {
    const mine = await kit.createCustomer();
    const theirs = await kit.createCustomer();
    const [own] = await createReports(mine.customerId);
    const [other] = await createReports(theirs.customerId);
    const ids = { customerId: mine.customerId };
    expect((await kit.ok('customer_viewer', LIST, {}, ids)).reports.map((r: { id: string }) => r.id)).toEqual([own]);
    expect((await kit.ok('customer_viewer', LIST, { customerId: theirs.customerId }, ids)).reports).toEqual([]);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Report { id kind } } }`;
    const { _entities } = await kit.ok('customer_admin', entities, { r: [{ __typename: 'Report', id: own }, { __typename: 'Report', id: other }] }, ids);
    expect(_entities).toEqual([{ id: own, kind: 'MONTHLY' }, null]);
  });

  it('shows a partner its own customers’ reports, never another partner’s', async () => {
    const p1 = randomUUID();
    const ours = await kit.createCustomer({ partnerId: p1 });
    const other = await kit.createCustomer({ partnerId: randomUUID() });
    const [a] = await createReports(ours.customerId);
    await createReports(other.customerId);
    expect((await kit.ok('partner_admin', LIST, {}, { partnerId: p1 })).reports.map((r: { id: string }) => r.id)).toEqual([a]);
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { reports { id } } } }`;
    const { _entities } = await kit.ok('partner_admin', q, { r: [{ __typename: 'Customer', id: ours.customerId }, { __typename: 'Customer', id: other.customerId }] }, { partnerId: p1 });
    expect(_entities).toEqual([{ reports: [{ id: a }] }, { reports: [] }]);
  });
});

describe('reports', () => {
  it('filters by kind, newest first', async () => {
    const { customerId } = await kit.createCustomer();
    const monthly = await createReports(customerId, 2, 'MONTHLY');
    await createReports(customerId, 1, 'ANALYSIS');
    const { reports } = await kit.ok('analyst', LIST, { customerId, kind: 'MONTHLY' });
    expect(reports.map((r: { id: string }) => r.id)).toEqual(monthly);
  });

  it(`answers ${REPORT_LIST_LIMIT} reports in full, and refuses more with TOO_MANY_REPORTS instead of cutting the list`, async () => {
    const { customerId } = await kit.createCustomer();
    await createReports(customerId, REPORT_LIST_LIMIT, 'MONTHLY');
    const ids = { customerId };
    expect((await kit.ok('customer_viewer', LIST, {}, ids)).reports).toHaveLength(REPORT_LIST_LIMIT);
    await createReports(customerId, 1, 'ANALYSIS');
    const r = await kit.gql('customer_viewer', LIST, {}, ids);
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_MANY_REPORTS' }, message: expect.stringContaining('narrow the list') });
    expect((await kit.ok('customer_viewer', LIST, { kind: 'ANALYSIS' }, ids)).reports).toHaveLength(1);
  });

  it.each([
    ['a customer id that is not an id', { customerId: 'acme' }, 'customerId'],
    ['a kind that does not exist', { kind: 'WEEKLY' }, 'kind'],
  ])('refuses %s as BAD_USER_INPUT naming it', async (_, vars, name) => {
    const r = await kit.gql('analyst', LIST, vars);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain(name);
  });
});
