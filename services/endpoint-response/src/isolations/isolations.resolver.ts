import { Args, Context, ID, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { EndpointObject } from '../endpoints/endpoint.object';
import { EndpointsService } from '../endpoints/endpoints.service';
import { IncidentRef } from './incident-ref.object';
import { IsolationLogEntryObject } from './isolation-log-entry.object';
import { IsolationLogEntity } from './isolation-log.entity';
import { IsolationEntity } from './isolation.entity';
import { IsolationObject } from './isolation.object';
import { IsolationsArgs } from './isolations.args';
import { IsolationsPermissions } from './isolations.permissions';
import { IsolationsService } from './isolations.service';
import { UnhealthyConnectorObject } from './unhealthy-connector.object';
import { EndpointsPermissions } from '../endpoints/endpoints.permissions';

@Resolver(() => IsolationObject)
export class IsolationsResolver {
  constructor(
    private readonly service: IsolationsService,
    private readonly endpoints: EndpointsService,
  ) {}

  @Query(() => [IsolationObject], { description: 'Isolations you may see, newest first (at most 1000: narrow by customer or active)' })
  @CallableBy(IsolationsPermissions.readIsolations)
  isolations(@CurrentPrincipal() principal: Principal, @Args() args: IsolationsArgs) {
    return this.service.list(principal, args);
  }

  @Query(() => IsolationObject, { nullable: true, description: 'One isolation; null when missing or another tenant’s' })
  @CallableBy(IsolationsPermissions.readIsolations)
  async isolation(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Isolation id' }) id: string) {
    return (await this.service.visibleByIds(principal, [id])).get(id) ?? null;
  }

  @Query(() => [UnhealthyConnectorObject], { description: 'Customers’ EDR connectors whose credentials the vendor refused (provider staff)' })
  @CallableBy(IsolationsPermissions.readConnectorHealth)
  unhealthyEdrConnectors(@CurrentPrincipal() principal: Principal) {
    return this.service.unhealthyConnectors(principal);
  }

  // Another tenant's isolation resolves to null, like a missing one.
  @ResolveReference()
  @ReferenceCallableBy(IsolationsPermissions.readIsolations)
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    const principal = principalOf(ctx);
    return requestLoader<IsolationEntity>(ctx.req, 'isolation', (ids) => this.service.visibleByIds(principal, ids)).load(ref.id);
  }

  @ResolveField(() => EndpointObject, { nullable: true, description: 'The endpoint; null when it is not in the inventory (the isolation then FAILED)' })
  @CallableBy(EndpointsPermissions.readEndpoints)
  endpoint(@Parent() i: IsolationEntity, @Context() ctx: SubgraphContext): Promise<EndpointEntity | null | undefined> {
    const principal = principalOf(ctx);
    return requestLoader<EndpointEntity>(ctx.req, 'endpoint', (ids) => this.endpoints.visibleByIds(principal, ids)).load(i.endpointId);
  }

  @ResolveField(() => IncidentRef, { description: 'The incident it was asked for' })
  incident(@Parent() i: IsolationEntity): IncidentRef {
    return { id: i.incidentId };
  }

  @ResolveField(() => [IsolationLogEntryObject], { description: 'Every request to the EDR and its answer, state change, actor and time, oldest first' })
  async log(@Parent() i: IsolationEntity, @Context() ctx: SubgraphContext): Promise<IsolationLogEntity[]> {
    const principal = principalOf(ctx);
    return (await requestLoader<IsolationLogEntity[]>(ctx.req, 'isolationLog', (ids) => this.service.logsOf(principal, ids)).load(i.id)) ?? [];
  }
}
