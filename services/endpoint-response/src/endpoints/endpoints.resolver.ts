import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { EndpointEntity } from './endpoint.entity';
import { EndpointObject } from './endpoint.object';
import { EndpointsService } from './endpoints.service';
import { RegisterEndpointInput } from './register-endpoint.input';

@Resolver(() => EndpointObject)
export class EndpointsResolver {
  constructor(private readonly service: EndpointsService) {}

  @Query(() => [EndpointObject])
  endpoints(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, nullable: true }) customerId?: string) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => EndpointObject)
  registerEndpoint(@CurrentPrincipal() principal: Principal, @Args('input') input: RegisterEndpointInput) {
    return this.service.register(principal, input);
  }
}

@Resolver(() => CustomerRef)
export class CustomerEndpointsResolver {
  constructor(private readonly service: EndpointsService) {}

  @ResolveField(() => [EndpointObject])
  endpoints(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext): Promise<EndpointEntity[]> {
    const principal = principalOf(ctx);
    return requestLoader<EndpointEntity[]>(ctx.req, 'endpointsByCustomer', (ids) => this.service.byCustomers(principal, ids)).load(customer.id).then((e) => e ?? []);
  }
}
