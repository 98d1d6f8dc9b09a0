import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CurrentPrincipal, Principal } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { IncidentEntity } from './incident.entity';
import { IncidentsArgs, OpenIncidentInput } from './incident.input';
import { IncidentConnection, IncidentObject } from './incident.object';
import { IncidentsService } from './incidents.service';

@Resolver(() => IncidentObject)
export class IncidentsResolver {
  constructor(private readonly service: IncidentsService) {}

  @Query(() => IncidentConnection)
  incidents(@CurrentPrincipal() principal: Principal, @Args() args: IncidentsArgs) {
    return this.service.page(principal, args.filter, args.first, args.after);
  }

  @Query(() => IncidentObject, { nullable: true })
  incident(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string, @Context() ctx: SubgraphContext) {
    return this.loader(ctx, principal).load(id);
  }

  @Mutation(() => IncidentObject)
  openIncident(@CurrentPrincipal() principal: Principal, @Args('input') input: OpenIncidentInput) {
    return this.service.open(principal, input);
  }

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

  @ResolveField(() => IncidentConnection)
  incidents(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext, @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number) {
    return this.service.page(principalOf(ctx), { customerId: customer.id }, Math.min(Math.max(first, 1), 200));
  }
}
