import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { EndpointEntity } from './endpoint.entity';
import { EndpointObject } from './endpoint.object';
import { EndpointsPermissions } from './endpoints.permissions';
import { EndpointsService } from './endpoints.service';
import { RegisterEndpointInput } from './register-endpoint.input';

@Resolver(() => EndpointObject)
export class EndpointsResolver {
  constructor(private readonly service: EndpointsService) {}

  @Query(() => [EndpointObject], { description: 'Endpoints you may see, by host name' })
  @CallableBy(EndpointsPermissions.readEndpoints)
  endpoints(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId', { type: () => ID, nullable: true, description: 'Only this customer’s' }) customerId?: string,
  ) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => EndpointObject, { description: 'Registers a managed endpoint by hand' })
  @CallableBy(EndpointsPermissions.registerEndpoints)
  registerEndpoint(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The endpoint' }) input: RegisterEndpointInput) {
    return this.service.register(principal, input);
  }

  // Another tenant's endpoint resolves to null, like a missing one.
  @ResolveReference()
  @ReferenceCallableBy(EndpointsPermissions.readEndpoints)
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    const principal = principalOf(ctx);
    return requestLoader<EndpointEntity>(ctx.req, 'endpoint', (ids) => this.service.visibleByIds(principal, ids)).load(ref.id);
  }
}

@Resolver(() => CustomerRef)
export class CustomerEndpointsResolver {
  constructor(private readonly service: EndpointsService) {}

  @ResolveField(() => [EndpointObject], { description: 'The customer’s managed endpoints, by host name' })
  @CallableBy(EndpointsPermissions.readEndpoints)
  endpoints(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext): Promise<EndpointEntity[]> {
    const principal = principalOf(ctx);
    return requestLoader<EndpointEntity[]>(ctx.req, 'endpointsByCustomer', (ids) => this.service.byCustomers(principal, ids))
      .load(customer.id)
      .then((e) => e ?? []);
  }
}
