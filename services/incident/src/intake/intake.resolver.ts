import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { IncidentObject } from '../incidents/incident.object';
import { IncidentsPermissions } from '../incidents/incidents.permissions';
import { IntakeService } from './intake.service';
import { LowVerdictsArgs } from './low-verdicts.args';
import { RaiseIncidentArgs } from './raise-incident.args';

@Resolver(() => IncidentObject)
export class IntakeResolver {
  constructor(private readonly service: IntakeService) {}

  @Mutation(() => IncidentObject, { description: 'Opens an incident from a LOW verdict (LOW verdicts open none by themselves)' })
  @CallableBy(IncidentsPermissions.openIncidents)
  raiseIncident(@CurrentPrincipal() principal: Principal, @Args() args: RaiseIncidentArgs) {
    return this.service.raise(principal, args);
  }

  @Query(() => Int, { description: 'How many LOW verdicts (no incident, counted for the monthly statistics) a customer had in a period' })
  @CallableBy(IncidentsPermissions.readIncidents)
  lowVerdictCount(@CurrentPrincipal() principal: Principal, @Args() args: LowVerdictsArgs) {
    return this.service.lowCount(principal, args);
  }
}
