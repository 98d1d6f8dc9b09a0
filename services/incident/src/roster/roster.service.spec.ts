import { EntityManager } from 'typeorm';
import { principalAs } from '@kanshi/testing';
import { AddDutyShiftInput } from './add-duty-shift.input';
import { DutyShift, RosterRepository } from './roster.repository';
import { DutyRoster } from './roster.service';

function setup() {
  const shifts: DutyShift[] = [];
  const repo = {
    insert: jest.fn(async (s: Omit<DutyShift, 'id'>) => {
      const shift = { id: `s${shifts.length + 1}`, ...s };
      shifts.push(shift);
      return shift;
    }),
    remove: jest.fn(async (id: string) => shifts.some((s) => s.id === id)),
    between: jest.fn(async () => shifts),
    onDuty: jest.fn(async (_em: EntityManager, tier: number, at: Date) => shifts.find((s) => s.tier === tier && s.startsAt <= at && at < s.endsAt) ?? null),
  };
  return { sut: new DutyRoster(repo as unknown as RosterRepository), ctx: { shifts, repo } };
}

const shift = (over: Partial<AddDutyShiftInput> = {}): AddDutyShiftInput => ({ tier: 1, person: 'eng-kato', name: 'Kato', startsAt: '2026-12-10T00:00:00Z', endsAt: '2026-12-10T09:00:00Z', ...over });

describe('DutyRoster', () => {
  it('lets provider_admin add a shift and answers who is on duty at a moment', async () => {
    const { sut } = setup();
    await sut.add(principalAs('provider_admin'), shift());
    expect(await sut.onDuty({} as EntityManager, 1, new Date('2026-12-10T03:00:00Z'))).toMatchObject({ person: 'eng-kato' });
    expect(await sut.onDuty({} as EntityManager, 1, new Date('2026-12-10T09:00:00Z'))).toBeNull();
    expect(await sut.onDuty({} as EntityManager, 2, new Date('2026-12-10T03:00:00Z'))).toBeNull();
  });

  it.each(['analyst', 'engineer', 'customer_admin'] as const)('refuses %s managing the roster, and adds nothing', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.add(principalAs(role, { customerId: '00000000-0000-4000-8000-000000000001' }), shift())).rejects.toMatchObject({ kind: 'FORBIDDEN', message: `role ${role} may not manage the duty roster` });
    expect(ctx.shifts).toEqual([]);
  });

  it.each([
    ['an end before the start', shift({ endsAt: '2026-12-09T00:00:00Z' }), 'endsAt must be after startsAt'],
    ['a shift over 31 days', shift({ endsAt: '2027-01-20T00:00:00Z' }), 'a shift lasts at most 31 days'],
  ])('refuses %s as BAD_USER_INPUT on endsAt', async (_, input, message) => {
    const { sut, ctx } = setup();
    await expect(sut.add(principalAs('provider_admin'), input)).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', field: 'endsAt', message });
    expect(ctx.shifts).toEqual([]);
  });

  it('answers removing an unknown shift with SHIFT_NOT_FOUND', async () => {
    const { sut } = setup();
    await expect(sut.remove(principalAs('provider_admin'), 'nope')).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'SHIFT_NOT_FOUND' });
  });

  it('lists at most 62 days at a time', async () => {
    const { sut } = setup();
    await expect(sut.list(principalAs('analyst'), '2026-12-01T00:00:00Z', '2027-03-01T00:00:00Z')).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', field: 'to' });
    await expect(sut.list(principalAs('analyst'), '2026-12-01T00:00:00Z', '2026-12-31T00:00:00Z')).resolves.toEqual([]);
  });
});
