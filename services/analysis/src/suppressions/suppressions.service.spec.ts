import { DataSource } from 'typeorm';
import { AccessError, Role } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { ManualClock } from '@kanshi/calendar';
import { CreateSuppressionInput } from './create-suppression.input';
import { SuppressionMatcher } from './suppression-matcher';
import { SuppressionEntity } from './suppression.entity';
import { SuppressionError } from './suppressions.errors';
import { SuppressionsRepository } from './suppressions.repository';
import { SuppressionsService } from './suppressions.service';

const NOW = new Date('2026-05-01T00:00:00Z');
const DAY = 86_400_000;
const as = (role: Role) => principalAs(role, role.startsWith('customer') ? { customerId: TENANTS.C1 } : role === 'partner_admin' ? { partnerId: TENANTS.P1 } : {});

function setup() {
  const rows: SuppressionEntity[] = [];
  const repo = {
    insert: jest.fn(async (_em: unknown, v: Omit<SuppressionEntity, 'id' | 'createdAt' | 'endedAt' | 'endedBy'> & { now: Date }) => {
      const s = Object.assign(new SuppressionEntity(), { id: `s${rows.length + 1}`, customerId: v.customerId, conditions: v.conditions, startsAt: v.startsAt, endsAt: v.endsAt, reason: v.reason, owner: v.owner, createdAt: v.now, endedAt: null, endedBy: null });
      rows.push(s);
      return s;
    }),
    bumpRevision: jest.fn(async () => undefined),
    visible: jest.fn(async () => rows),
    visibleById: jest.fn(async (_em: unknown, _scope: unknown, id: string) => rows.find((r) => r.id === id) ?? null),
    end: jest.fn(async (_em: unknown, id: string, by: string, now: Date) => Object.assign(rows.find((r) => r.id === id)!, { endedAt: now, endedBy: by, endsAt: now })),
    recordHit: jest.fn(async () => true),
  };
  const ds = { transaction: async (fn: (em: unknown) => unknown) => fn({}) };
  const matcher = { invalidate: jest.fn() };
  const clock = new ManualClock(NOW);
  const sut = new SuppressionsService(ds as unknown as DataSource, repo as unknown as SuppressionsRepository, fakeTenantDirectory() as TenantDirectory, matcher as unknown as SuppressionMatcher, clock);
  return { sut, ctx: { repo, rows, matcher, clock } };
}

const input = (over: Partial<CreateSuppressionInput> = {}): CreateSuppressionInput => ({
  customerId: TENANTS.C1,
  match: [{ field: 'source.ip', cidr: '192.0.2.0/24' }],
  until: new Date(NOW.getTime() + 7 * DAY).toISOString(),
  reason: 'Weekly Qualys scan',
  ...over,
});

describe('SuppressionsService.create', () => {
  it('saves it with its owner and window, bumps the revision and reloads the matcher', async () => {
    const { sut, ctx } = setup();
    const s = await sut.create(as('analyst'), input());
    expect(s).toMatchObject({ customerId: TENANTS.C1, match: [{ field: 'source.ip', cidr: '192.0.2.0/24' }], from: NOW, reason: 'Weekly Qualys scan', owner: 'u-analyst', active: true });
    expect(ctx.repo.bumpRevision).toHaveBeenCalled();
    expect(ctx.matcher.invalidate).toHaveBeenCalled();
  });

  it("lets a customer admin create for its own customer, by default", async () => {
    const { sut } = setup();
    expect(await sut.create(as('customer_admin'), input({ customerId: undefined }))).toMatchObject({ customerId: TENANTS.C1, owner: 'u-customer_admin' });
  });

  it.each(['customer_viewer', 'engineer', 'partner_admin', 'sales'] as const)('refuses %s and writes nothing', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.create(as(role), input())).rejects.toMatchObject({ kind: 'FORBIDDEN', message: `role ${role} may not create or end suppressions` });
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });

  it("refuses a customer admin another customer's suppression as CUSTOMER_NOT_FOUND", async () => {
    const { sut, ctx } = setup();
    await expect(sut.create(as('customer_admin'), input({ customerId: TENANTS.C2 }))).rejects.toMatchObject({ code: AccessError.Code.CUSTOMER_NOT_FOUND, field: 'customerId' });
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });

  it('lets only provider staff create global suppressions', async () => {
    const { sut, ctx } = setup();
    await expect(sut.create(as('customer_admin'), input({ customerId: undefined, global: true }))).rejects.toMatchObject({ kind: 'FORBIDDEN', message: 'role customer_admin may not create global suppressions' });
    expect(await sut.create(as('provider_admin'), input({ customerId: undefined, global: true }))).toMatchObject({ customerId: null });
    expect(ctx.rows).toHaveLength(1);
  });

  it.each([
    ['neither customerId nor global', { customerId: undefined }],
    ['both', { global: true }],
  ])('asks provider staff to say which customer when given %s', async (_, over) => {
    const { sut } = setup();
    const err = await sut.create(as('analyst'), input(over)).catch((e: unknown) => e);
    expect(SuppressionError.is(err, 'TARGET_UNCLEAR')).toBe(true);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'customerId' });
  });

  it.each([
    ['more than 90 days ahead', { until: new Date(NOW.getTime() + 90 * DAY + 1000).toISOString() }, 'until must be at most 90 days ahead'],
    ['in the past', { until: new Date(NOW.getTime() - 1000).toISOString() }, 'until must be in the future'],
    ['before it starts', { from: new Date(NOW.getTime() + 3 * DAY).toISOString(), until: new Date(NOW.getTime() + 2 * DAY).toISOString() }, 'until must be after from'],
  ])('refuses a window ending %s, naming until', async (_, over, message) => {
    const { sut, ctx } = setup();
    const err = await sut.create(as('analyst'), input(over)).catch((e: unknown) => e);
    expect(SuppressionError.is(err, 'INVALID_WINDOW')).toBe(true);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'until' });
    expect((err as Error).message).toContain(message);
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });

  it('accepts exactly 90 days', async () => {
    const { sut } = setup();
    await expect(sut.create(as('analyst'), input({ until: new Date(NOW.getTime() + 90 * DAY).toISOString() }))).resolves.toMatchObject({ active: true });
  });

  it('refuses a bad condition naming it', async () => {
    const { sut } = setup();
    const err = await sut.create(as('analyst'), input({ match: [{ field: 'product', equals: 'FORTIGATE' }, { field: 'source.ip', cidr: '192.0.2.1/24' }] })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'match[1].cidr' });
  });
});

describe('SuppressionsService.list', () => {
  it("shows tenants a global suppression's reason and window, not its conditions or owner", async () => {
    const { sut } = setup();
    await sut.create(as('analyst'), input({ customerId: undefined, global: true, reason: 'CVE scanner sweep' }));
    const [seen] = await sut.list(as('customer_viewer'));
    expect(seen).toMatchObject({ customerId: null, reason: 'CVE scanner sweep', match: null, owner: null, active: true });
    const [staff] = await sut.list(as('engineer'));
    expect(staff).toMatchObject({ owner: 'u-analyst', match: [{ field: 'source.ip', cidr: '192.0.2.0/24' }] });
  });

  it('is no longer active once its window passes', async () => {
    const { sut, ctx } = setup();
    await sut.create(as('analyst'), input());
    ctx.clock.set(new Date(NOW.getTime() + 8 * DAY));
    expect((await sut.list(as('analyst')))[0].active).toBe(false);
  });
});

describe('SuppressionsService.end', () => {
  it('ends it now and reloads the matcher', async () => {
    const { sut, ctx } = setup();
    const s = await sut.create(as('customer_admin'), input());
    ctx.clock.set(new Date(NOW.getTime() + DAY));
    expect(await sut.end(as('customer_admin'), s.id)).toMatchObject({ endedAt: new Date(NOW.getTime() + DAY), active: false });
    expect(ctx.matcher.invalidate).toHaveBeenCalledTimes(2);
  });

  it('refuses a customer admin a global suppression, and a missing one as SUPPRESSION_NOT_FOUND', async () => {
    const { sut, ctx } = setup();
    const g = await sut.create(as('analyst'), input({ customerId: undefined, global: true }));
    await expect(sut.end(as('customer_admin'), g.id)).rejects.toMatchObject({ kind: 'FORBIDDEN', message: 'role customer_admin may not end global suppressions' });
    expect(ctx.repo.end).not.toHaveBeenCalled();
    const err = await sut.end(as('analyst'), 'nope').catch((e: unknown) => e);
    expect(SuppressionError.is(err, 'SUPPRESSION_NOT_FOUND')).toBe(true);
  });
});

describe('SuppressionsService.recordHit', () => {
  it('records the alert in the caller’s transaction at the clock’s time', async () => {
    const { sut, ctx } = setup();
    const tx = {} as never;
    await sut.recordHit(tx, 's1', 'a1', TENANTS.C1);
    expect(ctx.repo.recordHit).toHaveBeenCalledWith(tx, { suppressionId: 's1', alertId: 'a1', customerId: TENANTS.C1, at: NOW });
  });
});
