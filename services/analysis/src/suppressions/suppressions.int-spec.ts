// Suppressions through the subgraph against the real database: who may create what, validation
// naming the field, tenant isolation, the matcher picking changes up, and hits kept per alert.
import { randomUUID } from 'node:crypto';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { SuppressionMatcher } from './suppression-matcher';
import { SuppressionsService } from './suppressions.service';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const CREATE = `mutation($i: CreateSuppressionInput!) { createSuppression(input: $i) { id customerId match { field equals contains cidr in } from until reason owner active endedAt hits } }`;
const LIST = `query($c: ID, $active: Boolean) { suppressions(customerId: $c, active: $active) { id customerId reason owner match { field } hits suppressedAlerts(first: 10) { edges { node { alert { id } customerId } } } } }`;
const END = `mutation($id: ID!) { endSuppression(id: $id) { id active endedAt until } }`;
const scan = (customerId: string | null, over: object = {}) => ({ ...(customerId ? { customerId } : { global: true }), match: [{ field: 'source.ip', cidr: '192.0.2.0/24' }], until: inDays(7), reason: 'Weekly vulnerability scan', ...over });
const countReason = async (reason: string) => (await kit.ds.query(`SELECT count(*)::int AS n FROM analysis.suppression WHERE reason = $1`, [reason]))[0].n;

describe('createSuppression', () => {
  it('lets a customer admin create one for its own customer; the owner is its subject', async () => {
    const { customerId } = await kit.createCustomer();
    const s = (await kit.ok('customer_admin', CREATE, { i: scan(null, { global: undefined }) }, { customerId })).createSuppression;
    expect(s).toMatchObject({ customerId, match: [{ field: 'source.ip', cidr: '192.0.2.0/24', equals: null, contains: null, in: null }], owner: 'test-customer_admin', active: true, endedAt: null, hits: 0 });
  });

  it('is FORBIDDEN to a customer viewer, and writes nothing', async () => {
    const { customerId } = await kit.createCustomer();
    const reason = `viewer ${randomUUID()}`;
    const r = await kit.gql('customer_viewer', CREATE, { i: scan(customerId, { reason }) }, { customerId });
    expect(r.errors?.[0]).toMatchObject({ message: 'role customer_viewer may not create or end suppressions', extensions: { code: 'FORBIDDEN' } });
    expect(await countReason(reason)).toBe(0);
  });

  it("refuses a customer admin another customer's or a global suppression", async () => {
    const a = await kit.createCustomer();
    const b = await kit.createCustomer();
    const other = await kit.gql('customer_admin', CREATE, { i: scan(b.customerId) }, { customerId: a.customerId });
    expect(other.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', reason: 'CUSTOMER_NOT_FOUND', field: 'customerId' } });
    const global = await kit.gql('customer_admin', CREATE, { i: scan(null) }, { customerId: a.customerId });
    expect(global.errors?.[0]).toMatchObject({ message: 'role customer_admin may not create global suppressions', extensions: { code: 'FORBIDDEN' } });
  });

  it.each([
    ['a CIDR with host bits set', { match: [{ field: 'source.ip', cidr: '192.0.2.1/24' }] }, 'match[0].cidr'],
    ['a condition with two operators', { match: [{ field: 'product', equals: 'FORTIGATE' }, { field: 'host.name', equals: 'a', in: ['b'] }] }, 'match[1]'],
    ['a window over 90 days', { until: inDays(91) }, 'until'],
    ['a window already over', { until: inDays(-1) }, 'until'],
  ])('refuses %s as BAD_USER_INPUT naming the field, and writes nothing', async (_, over, field) => {
    const { customerId } = await kit.createCustomer();
    const reason = `bad ${randomUUID()}`;
    const r = await kit.gql('analyst', CREATE, { i: scan(customerId, { reason, ...over }) });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    expect(await countReason(reason)).toBe(0);
  });

  it.each([
    ['no until', { until: undefined }, 'until'],
    ['a blank reason', { reason: '   ' }, 'reason'],
    ['no conditions', { match: [] }, 'match'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_, over, field) => {
    const { customerId } = await kit.createCustomer();
    const r = await kit.gql('analyst', CREATE, { i: { ...scan(customerId), ...over } });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain(field);
  });
});

describe('suppressions: tenancy, matching and hits', () => {
  it("shows a customer its own and the global ones (reason and window only), never another customer's", async () => {
    const partnerId = randomUUID();
    const a = await kit.createCustomer({ partnerId });
    const b = await kit.createCustomer();
    const sa = (await kit.ok('analyst', CREATE, { i: scan(a.customerId) })).createSuppression;
    const sb = (await kit.ok('analyst', CREATE, { i: scan(b.customerId) })).createSuppression;
    const g = (await kit.ok('provider_admin', CREATE, { i: scan(null, { reason: 'Provider-wide scanner' }) })).createSuppression;

    const seen = (await kit.ok('customer_viewer', LIST, {}, { customerId: a.customerId })).suppressions;
    const ids = seen.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([sa.id, g.id]));
    expect(ids).not.toContain(sb.id);
    expect(seen.find((s: { id: string }) => s.id === g.id)).toMatchObject({ customerId: null, reason: 'Provider-wide scanner', owner: null, match: null });
    expect((await kit.ok('partner_admin', LIST, {}, { partnerId })).suppressions.map((s: { id: string }) => s.id)).not.toContain(sb.id);
    // another tenant's suppression reads as missing when ending it
    const r = await kit.gql('customer_admin', END, { id: sb.id }, { customerId: a.customerId });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', reason: 'SUPPRESSION_NOT_FOUND', field: 'id' } });
    await kit.ok('provider_admin', END, { id: g.id });
  });

  it('matches through the matcher, keeps each silenced alert once, and counts hits per tenant', async () => {
    const a = await kit.createCustomer();
    const b = await kit.createCustomer();
    const reason = `global noise ${randomUUID()}`;
    const g = (await kit.ok('analyst', CREATE, { i: scan(null, { reason, match: [{ field: 'ruleName', equals: reason }] }) })).createSuppression;
    const matcher = kit.app.get(SuppressionMatcher);
    const service = kit.app.get(SuppressionsService);
    const alert = { product: 'FORTIGATE', ruleName: reason, ecs: {} };
    expect(await matcher.match(a.customerId, alert, new Date())).toMatchObject({ id: g.id, customerId: null, reason });
    expect(await matcher.match(a.customerId, { ...alert, ruleName: 'other' }, new Date())).toBeNull();

    const [alertA, alertB] = [randomUUID(), randomUUID()];
    await kit.ds.transaction(async (em) => {
      expect(await service.recordHit(em, g.id, alertA, a.customerId)).toBe(true);
      expect(await service.recordHit(em, g.id, alertB, b.customerId)).toBe(true);
    });
    // redelivery of alert A
    expect(await kit.ds.transaction((em) => service.recordHit(em, g.id, alertA, a.customerId))).toBe(false);

    const asA = (await kit.ok('customer_viewer', LIST, { active: true }, { customerId: a.customerId })).suppressions.find((s: { id: string }) => s.id === g.id);
    expect(asA).toMatchObject({ hits: 1, suppressedAlerts: { edges: [{ node: { alert: { id: alertA }, customerId: a.customerId } }] } });
    const staff = (await kit.ok('analyst', LIST, { c: a.customerId })).suppressions.find((s: { id: string }) => s.id === g.id);
    expect(staff.hits).toBe(2);

    const ended = (await kit.ok('analyst', END, { id: g.id })).endSuppression;
    expect(ended).toMatchObject({ active: false, endedAt: expect.any(String) });
    expect(await matcher.match(a.customerId, alert, new Date())).toBeNull();
    // the silenced alerts stay
    expect((await kit.ok('analyst', LIST, { active: false })).suppressions.find((s: { id: string }) => s.id === g.id).hits).toBe(2);
  });
});
