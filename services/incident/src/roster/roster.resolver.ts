import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { AddDutyShiftInput } from './add-duty-shift.input';
import { DutyRosterArgs } from './duty-roster.args';
import { DutyShiftObject } from './duty-shift.object';
import { RosterPermissions } from './roster.permissions';
import { DutyRoster } from './roster.service';

@Resolver(() => DutyShiftObject)
export class RosterResolver {
  constructor(private readonly roster: DutyRoster) {}

  @Query(() => [DutyShiftObject], { description: 'The duty roster for a period (at most 62 days), by start' })
  @CallableBy(RosterPermissions.readRoster)
  dutyRoster(@CurrentPrincipal() principal: Principal, @Args() args: DutyRosterArgs) {
    return this.roster.list(principal, args.from, args.to);
  }

  @Mutation(() => DutyShiftObject, { description: 'Puts someone on duty for a period' })
  @CallableBy(RosterPermissions.manageRoster)
  addDutyShift(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The shift' }) input: AddDutyShiftInput) {
    return this.roster.add(principal, input);
  }

  @Mutation(() => Boolean, { description: 'Removes a shift from the roster' })
  @CallableBy(RosterPermissions.manageRoster)
  removeDutyShift(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Shift id' }) id: string) {
    return this.roster.remove(principal, id);
  }
}
