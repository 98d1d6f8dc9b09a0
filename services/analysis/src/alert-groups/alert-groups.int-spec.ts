// Alert groups against the real database: assignment through AlertGrouper in real transactions
// (redelivery, IOC joins, two replicas racing on one host), severity, and the GraphQL reads with
// tenant isolation.
import { randomUUID } from 'node:crypto';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { AlertGrouper } from './alert-grouper';
import { AlertGroupInput } from './alert-grouping';
import { AlertGroupsRepository } from './alert-groups.repository';

jest.setTimeout(60_000);

let kit: SubgraphKit;
let grouper: AlertGrouper;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
  grouper = kit.app.get(AlertGrouper);
});
afterAll(() => kit?.close());

const input = (customerId: string, over: Partial<AlertGroupInput> = {}): AlertGroupInput => ({
  alertId: randomUUID(),
  customerId,
  sensorId: randomUUID(),
  product: 'FORTIGATE',
  ruleKey: 'IPS: ET TROJAN beacon',
  vendorGroupKey: null,
  hostName: `host-${Math.random().toString(36).slice(2, 8)}`,
  hostIp: null,
  iocValues: [],
  occurredAt: new Date(),
  ...over,
});
const assign = (i: AlertGroupInput) => kit.ds.transaction((em) => grouper.assign(em, i));
const groupRow = async (id: string) => (await kit.ds.query(`SELECT alert_count, hosts, ioc_values, severity, status FROM analysis.alert_group WHERE id = $1`, [id]))[0];

const GROUPS = `query($f: AlertGroupFilter, $first: Int, $after: String) { alertGroups(filter: $f, first: $first, after: $after) { edges { node { id customerId status severity title alertCount hosts iocValues closedAt } } pageInfo { hasNextPage endCursor } } }`;
const GROUP = `query($id: ID!) { alertGroup(id: $id) { id status alertCount alerts(first: 10) { edges { node { alert { id } addedAt } } } } }`;
const CLOSE = `mutation($id: ID!) { closeAlertGroup(id: $id) { id status closedAt } }`;

describe('AlertGrouper on PostgreSQL', () => {
  it('groups the same rule and host, counts a redelivered alert once, and joins by a shared IOC', async () => {
    const { customerId } = await kit.createCustomer();
    const first = input(customerId, { hostName: 'WEB01', hostIp: '192.0.2.10' });
    const a = await assign(first);
    expect(a).toMatchObject({ isNew: true, joinedBy: 'NEW' });
    expect(await assign(input(customerId, { hostName: 'web01' }))).toEqual({ groupId: a.groupId, isNew: false, joinedBy: 'RULE_AND_HOST' });
    expect(await assign(first)).toEqual({ groupId: a.groupId, isNew: false, joinedBy: 'ALREADY_MEMBER' });
    const viaIoc = await assign(input(customerId, { hostName: 'pc-7', ruleKey: 'DNS', iocValues: ['evil.example'] }));
    expect(viaIoc.isNew).toBe(true);
    expect(await assign(input(customerId, { hostName: 'pc-8', ruleKey: 'Proxy', iocValues: ['evil.example'] }))).toEqual({ groupId: viaIoc.groupId, isNew: false, joinedBy: 'SHARED_IOC' });
    expect(await groupRow(a.groupId)).toMatchObject({ alert_count: 2, hosts: ['web01', '192.0.2.10'] });
    expect(await groupRow(viaIoc.groupId)).toMatchObject({ alert_count: 2, hosts: ['pc-7', 'pc-8'], ioc_values: ['evil.example'] });
  });

  it('never counts an alert twice even when asked to join it again past the membership check', async () => {
    const { customerId } = await kit.createCustomer();
    const i = input(customerId);
    const { groupId } = await assign(i);
    const repo = kit.app.get(AlertGroupsRepository);
    const joined = await kit.ds.transaction((em) => repo.join(em, { groupId, alertId: i.alertId, vendorGroupKey: null, ruleKeys: [], hosts: ['elsewhere'], iocValues: [], occurredAt: new Date(), now: new Date() }));
    expect(joined).toBe(false);
    expect(await groupRow(groupId)).toMatchObject({ alert_count: 1, hosts: [i.hostName] });
  });

  it('never joins another customer’s group, even on the same host name', async () => {
    const a = await kit.createCustomer();
    const b = await kit.createCustomer();
    const ga = await assign(input(a.customerId, { hostName: 'shared-name' }));
    const gb = await assign(input(b.customerId, { hostName: 'shared-name' }));
    expect(gb.isNew).toBe(true);
    expect(gb.groupId).not.toBe(ga.groupId);
  });

  it('makes one group when two replicas assign alerts of one host at the same time', async () => {
    const { customerId } = await kit.createCustomer();
    const host = `race-${randomUUID().slice(0, 8)}`;
    const inputs = Array.from({ length: 12 }, (_, i) => input(customerId, { hostName: host, ruleKey: `rule-${i % 3}`, vendorGroupKey: null }));
    // separate transactions on separate connections, each pausing after its first statement so
    // they overlap
    const results = await Promise.all(
      inputs.map((i) =>
        kit.ds.transaction(async (em) => {
          await em.query(`SELECT pg_sleep(0.05)`);
          return grouper.assign(em, i);
        }),
      ),
    );
    const ids = new Set(results.map((r) => r.groupId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect((await groupRow([...ids][0])).alert_count).toBe(12);
  });

  it('assigns a batch in one transaction, the later alerts seeing the earlier ones’ group', async () => {
    const { customerId } = await kit.createCustomer();
    const batch = [input(customerId, { hostName: 'b1', vendorGroupKey: 'inc-1' }), input(customerId, { hostName: 'b2', vendorGroupKey: 'inc-1' }), input(customerId, { hostName: 'b1', ruleKey: 'x' })];
    const out = await kit.ds.transaction((em) => grouper.assignMany(em, batch));
    expect(out.map((o) => o.joinedBy)).toEqual(['NEW', 'VENDOR_KEY', 'SHARED_HOST']);
    expect(new Set(out.map((o) => o.groupId)).size).toBe(1);
  });

  it('leaves a batch’s groups with the lists and counts the alerts would have given one by one, up to the lists’ limit', async () => {
    // one existing group, then a batch that repeats its host and IOC, adds new ones, and passes
    // the 200-host limit; the same alerts assigned one by one for another customer
    const shape = (c: string, seq: number) => {
      const hostName = seq < 3 ? ['h0', 'h1', 'h0'][seq] : `h${seq}`;
      return input(c, { vendorGroupKey: 'campaign', hostName, ruleKey: `rule-${seq % 4}`, iocValues: seq % 2 ? ['evil.example', `ioc-${seq % 5}`] : ['evil.example'] });
    };
    const [batched, alone] = [await kit.createCustomer(), await kit.createCustomer()];
    const first = await assign(input(batched.customerId, { vendorGroupKey: 'campaign', hostName: 'h0', iocValues: ['evil.example'] }));
    const firstAlone = await assign(input(alone.customerId, { vendorGroupKey: 'campaign', hostName: 'h0', iocValues: ['evil.example'] }));
    const out = await kit.ds.transaction((em) => grouper.assignMany(em, Array.from({ length: 210 }, (_, i) => shape(batched.customerId, i))));
    for (let i = 0; i < 210; i++) await assign(shape(alone.customerId, i));
    expect(new Set(out.map((o) => o.groupId))).toEqual(new Set([first.groupId]));
    const [b, a] = [await groupRow(first.groupId), await groupRow(firstAlone.groupId)];
    const [rk] = await kit.ds.query(`SELECT (SELECT rule_keys FROM analysis.alert_group WHERE id = $1) AS b, (SELECT rule_keys FROM analysis.alert_group WHERE id = $2) AS a`, [first.groupId, firstAlone.groupId]);
    expect(b.alert_count).toBe(211);
    expect(b.hosts).toHaveLength(200);
    expect(b.hosts.slice(0, 3)).toEqual(['h0', 'h1', 'h3']);
    expect(b.ioc_values).toEqual(['evil.example', 'ioc-1', 'ioc-3', 'ioc-0', 'ioc-2', 'ioc-4']);
    expect({ ...b, rule_keys: rk.b }).toEqual({ ...a, rule_keys: rk.a });
  });

  it('raises the severity, never lowers it', async () => {
    const { customerId } = await kit.createCustomer();
    const { groupId } = await assign(input(customerId));
    await kit.ds.transaction((em) => grouper.raiseSeverity(em, groupId, 'MEDIUM'));
    await kit.ds.transaction((em) => grouper.raiseSeverity(em, groupId, 'LOW'));
    expect((await groupRow(groupId)).severity).toBe('MEDIUM');
    await kit.ds.transaction((em) => grouper.raiseSeverity(em, groupId, 'HIGH'));
    expect((await groupRow(groupId)).severity).toBe('HIGH');
  });
});

describe('alertGroups over GraphQL', () => {
  it("shows a customer its own groups, a partner its customers', and another tenant's group as null", async () => {
    const partnerId = randomUUID();
    const a = await kit.createCustomer({ partnerId });
    const b = await kit.createCustomer();
    const alertA = input(a.customerId, { hostName: 'pc-a' });
    const ga = await assign(alertA);
    const gb = await assign(input(b.customerId, { hostName: 'pc-b' }));
    await kit.ds.transaction((em) => grouper.raiseSeverity(em, ga.groupId, 'HIGH'));

    const own = (await kit.ok('customer_viewer', GROUPS, {}, { customerId: a.customerId })).alertGroups.edges.map((e: { node: { id: string } }) => e.node);
    expect(own).toEqual([{ id: ga.groupId, customerId: a.customerId, status: 'OPEN', severity: 'HIGH', title: 'FORTIGATE: IPS: ET TROJAN beacon on pc-a', alertCount: 1, hosts: ['pc-a'], iocValues: [], closedAt: null }]);
    expect((await kit.ok('customer_viewer', GROUPS, { f: { customerId: b.customerId } }, { customerId: a.customerId })).alertGroups.edges).toEqual([]);
    expect((await kit.ok('partner_admin', GROUPS, {}, { partnerId })).alertGroups.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ga.groupId]);
    expect((await kit.ok('customer_admin', GROUP, { id: gb.groupId }, { customerId: a.customerId })).alertGroup).toBeNull();
    // an id that is no UUID is the caller's mistake, named, not null and not an internal error
    expect((await kit.gql('customer_admin', GROUP, { id: 'not-a-uuid' }, { customerId: a.customerId })).errors?.[0]).toMatchObject({
      message: 'id "not-a-uuid" is not an id (a UUID)',
      extensions: { code: 'BAD_USER_INPUT', field: 'id' },
    });
    expect((await kit.gql('customer_admin', GROUPS, { f: { customerId: '42' } }, { customerId: a.customerId })).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.customerId' } });
    const mine = (await kit.ok('customer_admin', GROUP, { id: ga.groupId }, { customerId: a.customerId })).alertGroup;
    expect(mine.alerts.edges).toEqual([{ node: { alert: { id: alertA.alertId }, addedAt: expect.any(String) } }]);
  });

  it('filters by severity and status; a group with no alert for the window reads CLOSED', async () => {
    const { customerId } = await kit.createCustomer();
    const open = await assign(input(customerId));
    const stale = await assign(input(customerId));
    await kit.ds.query(`UPDATE analysis.alert_group SET last_alert_at = now() - interval '2 hours' WHERE id = $1`, [stale.groupId]);
    const ids = async (f: object) => (await kit.ok('analyst', GROUPS, { f: { customerId, ...f } })).alertGroups.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await ids({ status: 'OPEN' })).toEqual([open.groupId]);
    expect(await ids({ status: 'CLOSED' })).toEqual([stale.groupId]);
    expect(await ids({ severity: 'HIGH' })).toEqual([]);
    const closed = (await kit.ok('analyst', GROUPS, { f: { customerId, status: 'CLOSED' } })).alertGroups.edges[0].node;
    expect(closed.closedAt).not.toBeNull();
    // a new alert on the stale group's host starts a new group
    const host = (await groupRow(stale.groupId)).hosts[0];
    expect((await assign(input(customerId, { hostName: host }))).isNew).toBe(true);
  });

  it('pages newest first', async () => {
    const { customerId } = await kit.createCustomer();
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await assign(input(customerId))).groupId);
    const p1 = (await kit.ok('analyst', GROUPS, { f: { customerId }, first: 2 })).alertGroups;
    const p2 = (await kit.ok('analyst', GROUPS, { f: { customerId }, first: 2, after: p1.pageInfo.endCursor })).alertGroups;
    expect([...p1.edges, ...p2.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(made.reverse());
    expect(p1.pageInfo.hasNextPage).toBe(true);
    expect(p2.pageInfo.hasNextPage).toBe(false);
  });

  it('lets an analyst close a group (the next alert on its host starts a new one); FORBIDDEN to a customer admin', async () => {
    const { customerId } = await kit.createCustomer();
    const g = await assign(input(customerId, { hostName: 'to-close' }));
    const r = await kit.gql('customer_admin', CLOSE, { id: g.groupId }, { customerId });
    expect(r.errors?.[0]).toMatchObject({ message: 'role customer_admin may not close alert groups', extensions: { code: 'FORBIDDEN' } });
    expect((await groupRow(g.groupId)).status).toBe('OPEN');
    expect((await kit.ok('analyst', CLOSE, { id: g.groupId })).closeAlertGroup).toMatchObject({ id: g.groupId, status: 'CLOSED', closedAt: expect.any(String) });
    expect((await assign(input(customerId, { hostName: 'to-close' }))).isNew).toBe(true);
    const missing = await kit.gql('analyst', CLOSE, { id: randomUUID() });
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', reason: 'ALERT_GROUP_NOT_FOUND', field: 'id' } });
  });
});
