import { EntityManager } from 'typeorm';
import { ManualClock } from '@kanshi/calendar';
import { AlertGrouper } from './alert-grouper';
import { AlertGroupInput, CandidateGroup } from './alert-grouping';
import { AlertGroupsRepository } from './alert-groups.repository';

const C1 = '00000000-0000-4000-8000-0000000000c1';
const C2 = '00000000-0000-4000-8000-0000000000c2';
const T0 = new Date('2026-05-01T09:00:00Z');
const MIN = 60_000;
const tx = {} as EntityManager;

type Group = CandidateGroup & { customerId: string; alertCount: number; severity: string | null; title: string };

// The repository over arrays: candidates are every group of the customer, so the decision
// (open or not, which one) is the grouper's alone.
function setup(windowMinutes = 60) {
  const groups: Group[] = [];
  const members = new Map<string, string>();
  const locks: string[][] = [];
  const repo = {
    lock: jest.fn(async (_em: unknown, keys: string[]) => void locks.push(keys)),
    memberships: jest.fn(async (_em: unknown, ids: string[]) => new Map(ids.filter((id) => members.has(id)).map((id) => [id, members.get(id)!]))),
    candidates: jest.fn(async (_em: unknown, q: { customerId: string }) => groups.filter((g) => g.customerId === q.customerId).map((g) => ({ ...g }))),
    create: jest.fn(async (_em: unknown, v: { alertId: string; customerId: string; title: string; vendorGroupKey: string | null; ruleKeys: string[]; hosts: string[]; iocValues: string[]; occurredAt: Date; now: Date }) => {
      const id = `g${groups.length + 1}`;
      groups.push({ id, customerId: v.customerId, title: v.title, vendorGroupKey: v.vendorGroupKey, ruleKeys: v.ruleKeys, hosts: v.hosts, iocValues: v.iocValues, firstSeenAt: v.occurredAt, lastSeenAt: v.occurredAt, lastAlertAt: v.now, alertCount: 1, severity: null });
      members.set(v.alertId, id);
      return id;
    }),
    join: jest.fn(async (_em: unknown, v: { groupId: string; alertId: string; vendorGroupKey: string | null; ruleKeys: string[]; hosts: string[]; iocValues: string[]; occurredAt: Date; now: Date }) => {
      if (members.has(v.alertId)) return false;
      members.set(v.alertId, v.groupId);
      const g = groups.find((x) => x.id === v.groupId)!;
      g.alertCount++;
      g.vendorGroupKey ??= v.vendorGroupKey;
      g.ruleKeys = [...new Set([...g.ruleKeys, ...v.ruleKeys])];
      g.hosts = [...new Set([...g.hosts, ...v.hosts])];
      g.iocValues = [...new Set([...g.iocValues, ...v.iocValues])];
      g.lastSeenAt = new Date(Math.max(g.lastSeenAt.getTime(), v.occurredAt.getTime()));
      g.lastAlertAt = v.now;
      return true;
    }),
    raiseSeverity: jest.fn(async () => undefined),
  };
  // a batch's joins of one group, written at its end
  const joinMany = jest.fn(async (em: unknown, j: { groupId: string; alertIds: string[]; addedAt: Date[]; vendorGroupKey: string | null; ruleKeys: string[]; hosts: string[]; iocValues: string[]; firstSeenAt: Date; lastSeenAt: Date; lastAlertAt: Date }) => {
    let added = 0;
    for (const [k, alertId] of j.alertIds.entries()) {
      const at = k === 0 ? j.firstSeenAt : j.lastSeenAt;
      if (await repo.join(em, { groupId: j.groupId, alertId, vendorGroupKey: j.vendorGroupKey, ruleKeys: j.ruleKeys, hosts: j.hosts, iocValues: j.iocValues, occurredAt: at, now: j.addedAt[k] })) added++;
    }
    return added;
  });
  // the batch's read: every group of its customers (the grouper filters them as candidates() does)
  const openGroupsFor = jest.fn(async (_em: unknown, q: { customerIds: string[] }) => groups.filter((g) => q.customerIds.includes(g.customerId)).map((g) => ({ ...g })));
  // every group's joins of a batch in one call, as the repository writes them in one statement
  const joinAll = jest.fn(async (em: unknown, joins: Parameters<typeof joinMany>[1][]) => {
    const added = new Map<string, number>();
    for (const j of joins) added.set(j.groupId, await joinMany(em, j));
    return added;
  });
  Object.assign(repo, { joinMany, joinAll, openGroupsFor });
  const clock = new ManualClock(T0);
  const sut = new AlertGrouper(repo as unknown as AlertGroupsRepository, clock, { ALERT_GROUP_WINDOW_MINUTES: windowMinutes });
  return { sut, ctx: { repo, groups, members, clock, locks } };
}

let n = 0;
function alert(over: Partial<AlertGroupInput> = {}, clock?: ManualClock): AlertGroupInput {
  n++;
  return {
    alertId: `a${n}`,
    customerId: C1,
    sensorId: 's1',
    product: 'FORTIGATE',
    ruleKey: 'IPS: ET TROJAN beacon',
    vendorGroupKey: null,
    hostName: 'WEB01',
    hostIp: '192.0.2.10',
    iocValues: [],
    occurredAt: clock ? clock.now() : T0,
    ...over,
  };
}

describe('AlertGrouper.assign', () => {
  it('opens a group for the first alert, titled by product, rule and host', async () => {
    const { sut, ctx } = setup();
    expect(await sut.assign(tx, alert())).toEqual({ groupId: 'g1', isNew: true, joinedBy: 'NEW' });
    expect(ctx.groups[0]).toMatchObject({ title: 'FORTIGATE: IPS: ET TROJAN beacon on WEB01', hosts: ['web01', '192.0.2.10'], alertCount: 1 });
  });

  it('puts alerts with the same vendor grouping key together even on other hosts and rules', async () => {
    const { sut, ctx } = setup();
    const first = await sut.assign(tx, alert({ vendorGroupKey: 'incident-7', hostName: 'pc-1', hostIp: null }));
    ctx.clock.advance(5 * MIN);
    const second = await sut.assign(tx, alert({ vendorGroupKey: 'incident-7', hostName: 'pc-2', hostIp: null, ruleKey: 'other' }, ctx.clock));
    expect(second).toEqual({ groupId: first.groupId, isNew: false, joinedBy: 'VENDOR_KEY' });
    expect(ctx.groups).toHaveLength(1);
  });

  it('keeps apart alerts whose vendor keys differ, even on one host', async () => {
    const { sut, ctx } = setup();
    await sut.assign(tx, alert({ vendorGroupKey: 'incident-7' }));
    const other = await sut.assign(tx, alert({ vendorGroupKey: 'incident-8' }));
    expect(other.isNew).toBe(true);
    expect(ctx.groups).toHaveLength(2);
  });

  it('joins the same rule on the same host within the window, preferring it to a more recent group sharing only the host', async () => {
    const { sut, ctx } = setup();
    const byRule = await sut.assign(tx, alert({ ruleKey: 'r1', hostName: 'web01', hostIp: null }));
    ctx.clock.advance(5 * MIN);
    // a vendor incident on pc-9 that later also touches web01: more recent, shares the host
    const vendor = await sut.assign(tx, alert({ ruleKey: 'r2', hostName: 'pc-9', hostIp: null, vendorGroupKey: 'kb' }, ctx.clock));
    ctx.clock.advance(5 * MIN);
    expect(await sut.assign(tx, alert({ ruleKey: 'r2', hostName: 'web01', hostIp: null, vendorGroupKey: 'kb' }, ctx.clock))).toMatchObject({ groupId: vendor.groupId, joinedBy: 'VENDOR_KEY' });
    ctx.clock.advance(5 * MIN);
    const again = await sut.assign(tx, alert({ ruleKey: 'r1', hostName: 'WEB01', hostIp: null }, ctx.clock));
    expect(again).toEqual({ groupId: byRule.groupId, isNew: false, joinedBy: 'RULE_AND_HOST' });
    expect(ctx.groups.find((g) => g.id === byRule.groupId)!.alertCount).toBe(2);
  });

  it('joins an open group sharing only the host (by IP) as SHARED_HOST', async () => {
    const { sut } = setup();
    const first = await sut.assign(tx, alert({ hostName: null, hostIp: '192.0.2.10' }));
    const second = await sut.assign(tx, alert({ ruleKey: 'something else', hostName: 'unknown-name', hostIp: '192.0.2.10' }));
    expect(second).toEqual({ groupId: first.groupId, isNew: false, joinedBy: 'SHARED_HOST' });
  });

  it('joins an open group sharing an IOC value from another host, and not one of another customer', async () => {
    const { sut, ctx } = setup();
    const other = await sut.assign(tx, alert({ customerId: C2, hostName: 'x', hostIp: null, iocValues: ['evil.example'] }));
    const first = await sut.assign(tx, alert({ hostName: 'pc-1', hostIp: null, iocValues: ['evil.example'] }));
    expect(first.groupId).not.toBe(other.groupId);
    const second = await sut.assign(tx, alert({ hostName: 'pc-2', hostIp: null, ruleKey: 'DNS: sinkhole', iocValues: ['evil.example', '198.51.100.7'] }));
    expect(second).toEqual({ groupId: first.groupId, isNew: false, joinedBy: 'SHARED_IOC' });
    expect(ctx.groups.find((g) => g.id === first.groupId)).toMatchObject({ hosts: ['pc-1', 'pc-2'], iocValues: ['evil.example', '198.51.100.7'], alertCount: 2 });
  });

  it('joins the most recently active of two open groups sharing a host or an IOC', async () => {
    const { sut, ctx } = setup();
    await sut.assign(tx, alert({ hostName: 'pc-1', hostIp: null, ruleKey: 'r1', iocValues: ['evil.example'] }));
    ctx.clock.advance(MIN);
    const recent = await sut.assign(tx, alert({ hostName: 'pc-2', hostIp: null, ruleKey: 'r2' }, ctx.clock));
    ctx.clock.advance(MIN);
    const third = await sut.assign(tx, alert({ hostName: 'pc-2', hostIp: null, ruleKey: 'r3', iocValues: ['evil.example'] }, ctx.clock));
    expect(third).toEqual({ groupId: recent.groupId, isNew: false, joinedBy: 'SHARED_HOST' });
  });

  it('starts a new group once the window passes with no new alert', async () => {
    const { sut, ctx } = setup(60);
    const first = await sut.assign(tx, alert());
    ctx.clock.advance(59 * MIN);
    expect((await sut.assign(tx, alert({}, ctx.clock))).groupId).toBe(first.groupId);
    // the window runs from the last alert: 59 + 60 minutes after the first is still open
    ctx.clock.advance(59 * MIN);
    expect((await sut.assign(tx, alert({}, ctx.clock))).groupId).toBe(first.groupId);
    ctx.clock.advance(61 * MIN);
    const later = await sut.assign(tx, alert({}, ctx.clock));
    expect(later).toMatchObject({ isNew: true, joinedBy: 'NEW' });
    expect(later.groupId).not.toBe(first.groupId);
  });

  it('lets a late alert outside the rule window join the open group through its host, not the rule', async () => {
    const { sut, ctx } = setup(60);
    const first = await sut.assign(tx, alert({ hostIp: null }));
    // occurred 3 hours before the group's first alert, delivered now
    const late = await sut.assign(tx, alert({ hostIp: null, occurredAt: new Date(T0.getTime() - 180 * MIN) }));
    expect(late).toEqual({ groupId: first.groupId, isNew: false, joinedBy: 'SHARED_HOST' });
    expect(ctx.groups).toHaveLength(1);
  });

  it('answers the same group for a redelivered alert and counts it once', async () => {
    const { sut, ctx } = setup();
    const input = alert();
    const first = await sut.assign(tx, input);
    ctx.clock.advance(5 * MIN);
    const again = await sut.assign(tx, input);
    expect(again).toEqual({ groupId: first.groupId, isNew: false, joinedBy: 'ALREADY_MEMBER' });
    expect(ctx.groups[0].alertCount).toBe(1);
    expect(ctx.repo.join).not.toHaveBeenCalled();
  });

  it('starts a group for an alert with no host, IOC or vendor key', async () => {
    const { sut, ctx } = setup();
    await sut.assign(tx, alert({ hostName: null, hostIp: null }));
    expect((await sut.assign(tx, alert({ hostName: null, hostIp: null }))).isNew).toBe(true);
    expect(ctx.groups).toHaveLength(2);
  });
});

describe('AlertGrouper.assignMany', () => {
  it('takes every lock of the batch in one call before reading, and later alerts see earlier groups', async () => {
    const { sut, ctx } = setup();
    const a = alert({ hostName: 'pc-1', hostIp: null, vendorGroupKey: 'k1', iocValues: ['evil.example'] });
    const b = alert({ hostName: 'pc-1', hostIp: null });
    const [ra, rb] = await sut.assignMany(tx, [a, b]);
    expect(ctx.locks).toEqual([[`a:${a.alertId}`, `${C1}|v:k1`, `${C1}|h:pc-1`, `${C1}|i:evil.example`, `a:${b.alertId}`, `${C1}|h:pc-1`]]);
    expect(ra.isNew).toBe(true);
    expect(rb).toEqual({ groupId: ra.groupId, isNew: false, joinedBy: 'RULE_AND_HOST' });
  });

  it('reads the open groups once and writes each group’s joins once, choosing as if every join had been written', async () => {
    const { sut, ctx } = setup();
    const [g] = await sut.assignMany(tx, [alert({ hostName: 'h1', hostIp: null, ruleKey: 'r0' })]);
    // another customer's group on the same host is never a candidate
    await sut.assignMany(tx, [alert({ customerId: C2, hostName: 'h3', hostIp: null })]);
    (ctx.repo.candidates as jest.Mock).mockClear();
    const a1 = alert({ hostName: 'h2', hostIp: null, ruleKey: 'r1', iocValues: ['x.example'] });
    const a2 = alert({ hostName: 'h3', hostIp: null, ruleKey: 'r2', iocValues: ['x.example'] });
    const a3 = alert({ hostName: 'h3', hostIp: null, ruleKey: 'r3' });
    const a4 = alert({ hostName: 'h1', hostIp: null, ruleKey: 'r4' });
    const out = await sut.assignMany(tx, [a1, a2, a3, a4]);
    expect(out.map((o) => o.joinedBy)).toEqual(['NEW', 'SHARED_IOC', 'SHARED_HOST', 'SHARED_HOST']);
    // a3 joins through h3, which only a2's join (not yet written) put in a1's group
    expect(out[1].groupId).toBe(out[0].groupId);
    expect(out[2].groupId).toBe(out[0].groupId);
    expect(out[3].groupId).toBe(g.groupId);
    expect(ctx.repo.candidates).not.toHaveBeenCalled();
    const joinMany = (ctx.repo as unknown as { joinMany: jest.Mock }).joinMany;
    expect(joinMany.mock.calls.slice(-2).map((c) => [c[1].groupId, c[1].alertIds])).toEqual([
      [out[0].groupId, [a2.alertId, a3.alertId]],
      [g.groupId, [a4.alertId]],
    ]);
    const grown = ctx.groups.find((x) => x.id === out[0].groupId)!;
    expect(grown).toMatchObject({ alertCount: 3, hosts: ['h2', 'h3'], iocValues: ['x.example'], ruleKeys: ['r1', 'r2', 'r3'] });
  });

  it('answers a redelivered alert inside one batch once', async () => {
    const { sut, ctx } = setup();
    const a = alert();
    const [r1, r2] = await sut.assignMany(tx, [a, a]);
    expect(r2).toEqual({ groupId: r1.groupId, isNew: false, joinedBy: 'ALREADY_MEMBER' });
    expect(ctx.groups[0].alertCount).toBe(1);
  });
});

describe('AlertGrouper.raiseSeverity', () => {
  it('hands the severity to the repository in the caller’s transaction', async () => {
    const { sut, ctx } = setup();
    await sut.raiseSeverity(tx, 'g1', 'HIGH');
    expect(ctx.repo.raiseSeverity).toHaveBeenCalledWith(tx, 'g1', 'HIGH');
  });
});
