import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { authorize, Principal } from '@kanshi/auth';
import { AddDutyShiftInput } from './add-duty-shift.input';
import { RosterError } from './roster.errors';
import { RosterPermissions } from './roster.permissions';
import { DutyShift, RosterRepository } from './roster.repository';

const DAY = 86_400_000;

// The duty roster: who is on duty when, at tier 1 (engineers, first response) and tier 2
// (analysts, second response). New incidents are assigned to whoever is on duty (`onDuty`); the
// notification module asks it for the operator of call tasks.
@Injectable()
export class DutyRoster {
  constructor(private readonly repo: RosterRepository) {}

  async add(principal: Principal, input: AddDutyShiftInput): Promise<DutyShift> {
    authorize(principal, RosterPermissions.manageRoster);
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    if (endsAt <= startsAt) throw new RosterError('BAD_PERIOD', 'endsAt must be after startsAt', 'endsAt');
    if (endsAt.getTime() - startsAt.getTime() > 31 * DAY) throw new RosterError('BAD_PERIOD', 'a shift lasts at most 31 days', 'endsAt');
    return this.repo.insert({ tier: input.tier, person: input.person, name: input.name, startsAt, endsAt }, principal.subject);
  }

  async remove(principal: Principal, id: string): Promise<boolean> {
    authorize(principal, RosterPermissions.manageRoster);
    if (!(await this.repo.remove(id))) throw new RosterError('SHIFT_NOT_FOUND', `duty shift ${id} not found`, 'id');
    return true;
  }

  async list(principal: Principal, fromIso: string, toIso: string): Promise<DutyShift[]> {
    authorize(principal, RosterPermissions.readRoster);
    const from = new Date(fromIso);
    const to = new Date(toIso);
    if (to <= from) throw new RosterError('BAD_PERIOD', 'to must be after from', 'to');
    if (to.getTime() - from.getTime() > 62 * DAY) throw new RosterError('BAD_PERIOD', 'ask for at most 62 days at a time', 'to');
    return this.repo.between(from, to);
  }

  // For the service itself (no caller): who is on duty at a tier at `at`, or null.
  onDuty(em: EntityManager, tier: 1 | 2, at: Date): Promise<DutyShift | null> {
    return this.repo.onDuty(em, tier, at);
  }
}
