import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { PlanCode } from '@kanshi/events';
import { ContractsPermissions } from '../contracts.permissions';
import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { CatalogueService } from './catalogue.service';
import { CatalogueOptionObject, PlanObject } from './plan.object';
import { UpdateOptionInput, UpdatePlanInput } from './update-catalogue.input';

@Resolver(() => PlanObject)
export class PlansResolver {
  constructor(private readonly service: CatalogueService) {}

  @Query(() => [PlanObject], { description: 'The plan catalogue in force today (or on asOf)' })
  @CallableBy(ContractsPermissions.readCatalogue)
  plans(@Args('asOf', { type: () => CalendarDateScalar, nullable: true, description: 'A day in Asia/Tokyo; today when omitted' }) asOf?: string) {
    return this.service.plans(asOf);
  }

  @Query(() => [PlanObject], { description: 'Every catalogue version of a plan, newest first' })
  @CallableBy(ContractsPermissions.readCatalogue)
  planVersions(@Args('code', { type: () => PlanCode, description: 'The plan' }) code: PlanCode) {
    return this.service.planVersions(code);
  }

  @Query(() => [CatalogueOptionObject], { description: 'The options in force today (or on asOf)' })
  @CallableBy(ContractsPermissions.readCatalogue)
  catalogueOptions(@Args('asOf', { type: () => CalendarDateScalar, nullable: true, description: 'A day in Asia/Tokyo; today when omitted' }) asOf?: string) {
    return this.service.options(asOf);
  }

  @Mutation(() => PlanObject, { description: 'provider_admin: new prices for a plan, as a new catalogue version; existing contracts keep theirs' })
  @CallableBy(ContractsPermissions.editCatalogue)
  updatePlan(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The plan and its new prices' }) input: UpdatePlanInput) {
    return this.service.updatePlan(principal, input);
  }

  @Mutation(() => CatalogueOptionObject, { description: 'provider_admin: new prices for an option, as a new catalogue version' })
  @CallableBy(ContractsPermissions.editCatalogue)
  updateOption(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The option and its new prices' }) input: UpdateOptionInput) {
    return this.service.updateOption(principal, input);
  }
}
