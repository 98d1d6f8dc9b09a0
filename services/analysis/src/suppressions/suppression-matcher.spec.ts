import { conditionProblem, SuppressionCondition } from './suppression-conditions';
import { SuppressionMatcher } from './suppression-matcher';
import { SuppressionEntity } from './suppression.entity';
import { SuppressionsRepository } from './suppressions.repository';

const C1 = '00000000-0000-4000-8000-0000000000c1';
const C2 = '00000000-0000-4000-8000-0000000000c2';
const FROM = new Date('2026-05-01T00:00:00Z');
const UNTIL = new Date('2026-05-08T00:00:00Z');
const DURING = new Date('2026-05-03T12:00:00Z');

let n = 0;
function suppression(conditions: SuppressionCondition[], over: Partial<SuppressionEntity> = {}): SuppressionEntity {
  n++;
  return Object.assign(new SuppressionEntity(), { id: `s${n}`, customerId: C1, conditions, startsAt: FROM, endsAt: UNTIL, reason: 'scanner', owner: 'u-analyst', createdAt: FROM, endedAt: null, endedBy: null, ...over });
}

function setup(rows: SuppressionEntity[]) {
  const state = { rows, revision: '1' };
  const repo = { revision: jest.fn(async () => state.revision), matchable: jest.fn(async () => state.rows) };
  const sut = new SuppressionMatcher(repo as unknown as SuppressionsRepository);
  return { sut, ctx: { repo, state } };
}

const alert = (ecs: Record<string, unknown> = {}, over: { product?: string; ruleName?: string | null } = {}) => ({ product: 'FORTIGATE', ruleName: 'IPS: Port scan', ecs, ...over });

describe('SuppressionMatcher.match', () => {
  it.each([
    ['equals on ruleName, ignoring case', { field: 'ruleName', equals: 'ips: port SCAN' }, alert(), true],
    ['equals on product', { field: 'product', equals: 'APEX_ONE' }, alert(), false],
    ['contains on a nested ECS field', { field: 'process.command_line', contains: 'backup.ps1' }, alert({ process: { command_line: 'powershell -File C:\\Ops\\Backup.ps1' } }), true],
    ['contains on a flat dotted key', { field: 'host.name', contains: 'scan' }, alert({ 'host.name': 'qualys-scanner-01' }), true],
    ['in, any of several values', { field: 'user.name', in: ['svc_backup', 'svc_scan'] }, alert({ user: { name: 'SVC_SCAN' } }), true],
    ['in, none', { field: 'user.name', in: ['svc_backup'] }, alert({ user: { name: 'alice' } }), false],
    ['equals on a number', { field: 'destination.port', equals: '445' }, alert({ destination: { port: 445 } }), true],
    ['equals on one value of an array', { field: 'related.ip', equals: '192.0.2.1' }, alert({ related: { ip: ['198.51.100.1', '192.0.2.1'] } }), true],
    ['a missing field', { field: 'source.ip', equals: '192.0.2.1' }, alert(), false],
    ['cidr: inside an IPv4 network', { field: 'source.ip', cidr: '192.0.2.0/24' }, alert({ source: { ip: '192.0.2.200' } }), true],
    ['cidr: outside it', { field: 'source.ip', cidr: '192.0.2.0/24' }, alert({ source: { ip: '192.0.3.1' } }), false],
    ['cidr: one address', { field: 'source.ip', cidr: '10.0.0.5' }, alert({ source: { ip: '10.0.0.5' } }), true],
    ['cidr: an IPv4-mapped IPv6 address reads as IPv4', { field: 'source.ip', cidr: '192.0.2.0/24' }, alert({ source: { ip: '::ffff:192.0.2.7' } }), true],
    ['cidr: IPv6', { field: 'source.ip', cidr: '2001:db8::/32' }, alert({ source: { ip: '2001:db8:1::9' } }), true],
    ['cidr: IPv6 address against an IPv4 network', { field: 'source.ip', cidr: '0.0.0.0/0' }, alert({ source: { ip: '2001:db8::1' } }), false],
    ['cidr: not an address', { field: 'source.ip', cidr: '192.0.2.0/24' }, alert({ source: { ip: 'scanner' } }), false],
  ] as const)('%s', async (_, condition, a, expected) => {
    const { sut } = setup([suppression([condition as SuppressionCondition])]);
    expect((await sut.match(C1, a, DURING)) !== null).toBe(expected);
  });

  it('requires every condition', async () => {
    const { sut } = setup([suppression([{ field: 'ruleName', contains: 'port scan' }, { field: 'source.ip', cidr: '192.0.2.0/24' }])]);
    expect(await sut.match(C1, alert({ source: { ip: '192.0.2.9' } }), DURING)).toMatchObject({ id: expect.any(String), reason: 'scanner', owner: 'u-analyst', from: FROM, until: UNTIL });
    expect(await sut.match(C1, alert({ source: { ip: '203.0.113.9' } }), DURING)).toBeNull();
  });

  it('silences only within its window: from inclusive, until exclusive', async () => {
    const { sut } = setup([suppression([{ field: 'product', equals: 'FORTIGATE' }])]);
    expect(await sut.match(C1, alert(), new Date(FROM.getTime() - 1))).toBeNull();
    expect(await sut.match(C1, alert(), FROM)).not.toBeNull();
    expect(await sut.match(C1, alert(), new Date(UNTIL.getTime() - 1))).not.toBeNull();
    expect(await sut.match(C1, alert(), UNTIL)).toBeNull();
  });

  it("applies a customer's suppression to that customer only, a global one to all, the customer's own first", async () => {
    const own = suppression([{ field: 'product', equals: 'FORTIGATE' }]);
    const global = suppression([{ field: 'product', equals: 'FORTIGATE' }], { customerId: null, reason: 'global noise' });
    const { sut } = setup([global, own]);
    expect((await sut.match(C1, alert(), DURING))?.id).toBe(own.id);
    expect(await sut.match(C2, alert(), DURING)).toMatchObject({ id: global.id, customerId: null, reason: 'global noise' });
  });

  it('reloads after invalidate, and polls the revision for other replicas’ changes', async () => {
    const { sut, ctx } = setup([]);
    expect(await sut.match(C1, alert(), DURING)).toBeNull();
    ctx.state.rows = [suppression([{ field: 'product', equals: 'FORTIGATE' }])];
    sut.invalidate();
    expect(await sut.match(C1, alert(), DURING)).not.toBeNull();
    expect(ctx.repo.matchable).toHaveBeenCalledTimes(2);
    // same revision on the next poll: nothing reloaded
    await sut.match(C1, alert(), DURING);
    expect(ctx.repo.matchable).toHaveBeenCalledTimes(2);
  });
});

describe('conditionProblem', () => {
  it.each([
    ['no condition', [], 'match'],
    ['no operator', [{ field: 'host.name' }], 'match[0]'],
    ['two operators', [{ field: 'product', equals: 'FORTIGATE' }, { field: 'host.name', equals: 'a', contains: 'b' }], 'match[1]'],
    ['a field that is no ECS name', [{ field: 'host name', equals: 'x' }], 'match[0].field'],
    ['a CIDR with host bits set', [{ field: 'source.ip', cidr: '192.0.2.1/24' }], 'match[0].cidr'],
    ['a CIDR that is no network', [{ field: 'source.ip', cidr: '300.1.1.0/24' }], 'match[0].cidr'],
    ['an empty in list', [{ field: 'user.name', in: [] }], 'match[0].in'],
    ['an empty equals', [{ field: 'user.name', equals: '' }], 'match[0].equals'],
  ] as const)('names %s', (_, conditions, field) => {
    expect(conditionProblem(conditions as unknown as SuppressionCondition[])?.field).toBe(field);
  });

  it('accepts good conditions', () => {
    expect(conditionProblem([{ field: 'source.ip', cidr: '2001:db8::/32' }, { field: 'ruleName', in: ['a', 'b'] }, { field: 'event.action', contains: 'scan' }])).toBeNull();
  });
});
