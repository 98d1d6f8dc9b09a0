// IOC lists through the subgraph and the matcher against the real database: import and re-import,
// expiry, global + own lists but never another customer's, and tenant isolation over GraphQL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { IocMatcher } from './ioc-matcher';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
const IMPORT = `mutation($i: ImportIocsInput!) { importIocs(input: $i) { listId imported skipped { row objectId reason } } }`;
const LISTS = `query($c: ID) { iocLists(customerId: $c) { id name customerId source tlp indicatorCount } }`;
const IOCS = `query($l: ID!, $first: Int, $after: String) { iocs(listId: $l, first: $first, after: $after) { edges { node { type value confidence validUntil tlp stixId } } pageInfo { hasNextPage endCursor } } }`;
const uniq = (s: string) => `${s} ${Math.random().toString(36).slice(2, 8)}`;

describe('importIocs and matching', () => {
  it('imports a STIX bundle into a global list, reports bad objects, and a re-import updates instead of duplicating', async () => {
    const name = uniq('STIX feed');
    const first = (await kit.ok('analyst', IMPORT, { i: { name, source: 'isac', tlp: 'GREEN', format: 'STIX', content: fixture('sample-bundle.json') } })).importIocs;
    expect(first.imported).toBe(8);
    expect(first.skipped.map((s: { row: number }) => s.row)).toEqual([5, 6, 7, 8]);

    const changed = fixture('sample-bundle.json').replace('"confidence": 85', '"confidence": 20');
    const again = (await kit.ok('provider_admin', IMPORT, { i: { listId: first.listId, source: 'isac v2', tlp: 'GREEN', format: 'STIX', content: changed } })).importIocs;
    expect(again).toMatchObject({ listId: first.listId, imported: 8 });
    const count = await kit.ds.query(`SELECT count(*)::int AS n, max(confidence) FILTER (WHERE type = 'SHA256') AS c FROM analysis.ioc_indicator WHERE list_id = $1`, [first.listId]);
    expect(count[0]).toEqual({ n: 8, c: 20 });
    const { iocLists } = await kit.ok('engineer', LISTS);
    expect(iocLists).toContainEqual({ id: first.listId, name, customerId: null, source: 'isac v2', tlp: 'GREEN', indicatorCount: 8 });
  });

  it("matches global lists and the customer's own, never another customer's, and ignores expired indicators", async () => {
    const a = await kit.createCustomer();
    const b = await kit.createCustomer();
    await kit.ok('analyst', IMPORT, { i: { name: uniq('global'), source: 'feed', tlp: 'CLEAR', format: 'CSV', content: 'type,value,expires\nipv4,192.0.2.0/28,\ndomain,stale.example,2020-01-01\n' } });
    const own = (await kit.ok('customer_admin', IMPORT, { i: { name: uniq('own'), source: 'our SOC', tlp: 'AMBER', format: 'CSV', content: 'type,value\ndomain,a-only.example\n' } }, { customerId: a.customerId })).importIocs;
    await kit.ok('customer_admin', IMPORT, { i: { name: uniq('theirs'), source: 'their SOC', tlp: 'RED', format: 'CSV', content: 'type,value\ndomain,b-only.example\n' } }, { customerId: b.customerId });

    const matcher = kit.app.get(IocMatcher);
    const ecs = { destination: { ip: '192.0.2.9' }, dns: { question: { name: 'www.a-only.example' } }, url: { domain: 'b-only.example' }, source: { domain: 'stale.example' } };
    const hitsA = await matcher.match(a.customerId, ecs, new Date());
    expect(hitsA.map((h) => [h.type, h.value, h.field]).sort()).toEqual([
      ['DOMAIN', 'a-only.example', 'dns.question.name'],
      ['IPV4', '192.0.2.0/28', 'destination.ip'],
    ]);
    expect(hitsA.find((h) => h.type === 'DOMAIN')).toMatchObject({ listId: own.listId, source: 'our SOC', tlp: 'AMBER', confidence: 50 });
    expect((await matcher.match(b.customerId, ecs, new Date())).map((h) => h.value).sort()).toEqual(['192.0.2.0/28', 'b-only.example']);
  });
});

describe('tenant isolation over GraphQL', () => {
  it("lists only a customer's own lists, and another customer's list reads as missing", async () => {
    const a = await kit.createCustomer({ partnerId: '00000000-0000-4000-8000-00000000aa01' });
    const b = await kit.createCustomer();
    const listA = (await kit.ok('analyst', IMPORT, { i: { name: uniq('for A'), customerId: a.customerId, source: 'x', tlp: 'GREEN', format: 'CSV', content: 'type,value\nmd5,44d88612fea8a8f36de82e1278abb02f\n' } })).importIocs.listId;
    const listB = (await kit.ok('analyst', IMPORT, { i: { name: uniq('for B'), customerId: b.customerId, source: 'x', tlp: 'GREEN', format: 'CSV', content: 'type,value\nmd5,44d88612fea8a8f36de82e1278abb02f\n' } })).importIocs.listId;
    await kit.ok('analyst', IMPORT, { i: { name: uniq('global'), source: 'x', tlp: 'CLEAR', format: 'CSV', content: 'type,value\nmd5,44d88612fea8a8f36de82e1278abb02f\n' } });

    const asA = { customerId: a.customerId };
    const listed = (await kit.ok('customer_viewer', LISTS, {}, asA)).iocLists.map((l: { id: string }) => l.id);
    expect(listed).toEqual([listA]);
    expect((await kit.ok('customer_viewer', LISTS, { c: b.customerId }, asA)).iocLists).toEqual([]);
    expect((await kit.ok('partner_admin', LISTS, {}, { partnerId: a.partnerId! })).iocLists.map((l: { id: string }) => l.id)).toEqual([listA]);
    expect((await kit.ok('customer_viewer', IOCS, { l: listB }, asA)).iocs.edges).toEqual([]);
    expect((await kit.ok('customer_viewer', IOCS, { l: listA }, asA)).iocs.edges).toHaveLength(1);

    const r = await kit.gql('customer_admin', IMPORT, { i: { listId: listB, source: 'x', tlp: 'GREEN', format: 'CSV', content: 'type,value\ndomain,sneaky.example\n' } }, asA);
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', reason: 'IOC_LIST_NOT_FOUND', field: 'listId' } });
    expect((await kit.ds.query(`SELECT count(*)::int AS n FROM analysis.ioc_indicator WHERE value = 'sneaky.example'`))[0].n).toBe(0);
  });

  it('pages through a list', async () => {
    const content = ['type,value', ...Array.from({ length: 5 }, (_, i) => `domain,p${i}.example`)].join('\n');
    const { listId } = (await kit.ok('analyst', IMPORT, { i: { name: uniq('paged'), source: 'x', tlp: 'GREEN', format: 'CSV', content } })).importIocs;
    const p1 = (await kit.ok('analyst', IOCS, { l: listId, first: 3 })).iocs;
    const p2 = (await kit.ok('analyst', IOCS, { l: listId, first: 3, after: p1.pageInfo.endCursor })).iocs;
    expect([...p1.edges, ...p2.edges].map((e: { node: { value: string } }) => e.node.value)).toEqual(['p0.example', 'p1.example', 'p2.example', 'p3.example', 'p4.example']);
    expect([p1.pageInfo.hasNextPage, p2.pageInfo.hasNextPage]).toEqual([true, false]);
  });

  it.each(['customer_viewer', 'engineer'] as const)('is FORBIDDEN for %s to import, and writes nothing', async (role) => {
    const c = await kit.createCustomer();
    const name = uniq('forbidden');
    const r = await kit.gql(role, IMPORT, { i: { name, source: 'x', tlp: 'GREEN', format: 'CSV', content: 'type,value\ndomain,f.example\n' } }, { customerId: c.customerId });
    expect(r.errors?.[0]).toMatchObject({ message: `role ${role} may not import IOCs`, extensions: { code: 'FORBIDDEN' } });
    expect((await kit.ds.query(`SELECT count(*)::int AS n FROM analysis.ioc_list WHERE name = $1`, [name]))[0].n).toBe(0);
  });

  it.each([
    ['content that is not a bundle', { format: 'STIX', content: '[]' }, 'content'],
    ['a TLP that does not exist', { tlp: 'PURPLE' }, 'tlp'],
    ['an empty source', { source: '' }, 'source'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_, over, field) => {
    const r = await kit.gql('analyst', IMPORT, { i: { name: uniq('bad'), source: 'x', tlp: 'GREEN', format: 'CSV', content: 'type,value\n', ...over } });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain(field);
  });
});
