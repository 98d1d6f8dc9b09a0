import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { CustomerIncidentsArgs } from './customer-incidents.args';
import { IncidentEntity } from './incident.entity';
import { IncidentConnection, IncidentObject } from './incident.object';
import { IncidentsArgs } from './incidents.args';
import { IncidentsPermissions } from './incidents.permissions';
import { IncidentsService } from './incidents.service';
import { OpenIncidentInput } from './open-incident.input';

@Resolver(() => IncidentObject)
export class IncidentsResolver {
  constructor(private readonly service: IncidentsService) {}

  @Query(() => IncidentConnection, { description: 'Incidents you may see, newest first' })
  @CallableBy(IncidentsPermissions.readIncidents)
  incidents(@CurrentPrincipal() principal: Principal, @Args() args: IncidentsArgs) {
    return this.service.page(principal, args.filter, args.first, args.after);
  }

  @Query(() => IncidentObject, { nullable: true, description: "null when missing or another tenant's" })
  @CallableBy(IncidentsPermissions.readIncidents)
  incident(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Incident id' }) id: string, @Context() ctx: SubgraphContext) {
    return this.loader(ctx, principal).load(id);
  }

  @Mutation(() => IncidentObject, { description: 'Opens an incident by hand; incident.opened goes to the other services' })
  @CallableBy(IncidentsPermissions.openIncidents)
  openIncident(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The incident' }) input: OpenIncidentInput) {
    return this.service.open(principal, input);
  }

  // Another tenant's incident resolves to null, like a missing one.
  @ResolveReference()
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    return this.loader(ctx, principalOf(ctx)).load(ref.id);
  }

  private loader(ctx: SubgraphContext, principal: Principal) {
    return requestLoader<IncidentEntity>(ctx.req, 'incident', (ids) => this.service.visibleByIds(principal, ids));
  }
}

@Resolver(() => CustomerRef)
export class CustomerIncidentsResolver {
  constructor(private readonly service: IncidentsService) {}

  @ResolveField(() => IncidentConnection, { description: 'The customer’s incidents, newest first' })
  incidents(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext, @Args() args: CustomerIncidentsArgs) {
    return this.service.page(principalOf(ctx), { customerId: customer.id }, args.first, args.after);
  }
}
