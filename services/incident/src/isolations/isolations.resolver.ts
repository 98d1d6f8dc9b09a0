import { Args, Context, Directive, Mutation, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentObject } from '../incidents/incident.object';
import { IsolationIdArgs } from './isolation-id.args';
import { IsolationTargetArgs } from './isolation-target.args';
import { IsolationEntity } from './isolation.entity';
import { IsolationObject } from './isolation.object';
import { IsolationsPermissions } from './isolations.permissions';
import { IsolationsService } from './isolations.service';
import { IncidentsPermissions } from '../incidents/incidents.permissions';

@Resolver(() => IncidentObject)
export class IncidentIsolationsResolver {
  constructor(private readonly service: IsolationsService) {}

  @ResolveField(() => [IsolationObject], { description: 'Endpoint isolations asked for by this incident, oldest first' })
  @CallableBy(IsolationsPermissions.readIsolations)
  async isolations(@Parent() incident: { id: string }, @Context() ctx: SubgraphContext): Promise<IsolationEntity[]> {
    const principal = principalOf(ctx);
    return (await requestLoader<IsolationEntity[]>(ctx.req, 'incident-isolations', (ids) => this.service.forIncidents(principal, ids)).load(incident.id)) ?? [];
  }
}

@Resolver(() => IsolationObject)
export class IsolationsResolver {
  constructor(private readonly service: IsolationsService) {}

  @Mutation(() => IsolationObject, { description: 'An analyst asks endpoint-response to isolate one of the customer’s endpoints for the incident (the active one when already asked for)' })
  @CallableBy(IsolationsPermissions.requestIsolation)
  requestIsolation(@CurrentPrincipal() principal: Principal, @Args() args: IsolationTargetArgs) {
    return this.service.requestIsolation(principal, args.incidentId, args.endpointId);
  }

  @Mutation(() => IsolationObject, { description: 'The customer’s administrator approves isolating an endpoint (contracts without prior agreement)' })
  @CallableBy(IsolationsPermissions.approveIsolation)
  approveIsolation(@CurrentPrincipal() principal: Principal, @Args() args: IsolationTargetArgs) {
    return this.service.approveIsolation(principal, args.incidentId, args.endpointId);
  }

  @Mutation(() => IsolationObject, { description: 'The customer reports the host clean and asks for its release; an analyst confirms it' })
  @CallableBy(IsolationsPermissions.requestRelease)
  requestIsolationRelease(@CurrentPrincipal() principal: Principal, @Args() args: IsolationIdArgs) {
    return this.service.requestRelease(principal, args.isolationId);
  }

  @Mutation(() => IsolationObject, { description: 'An analyst confirms the release: endpoint-response is asked to put the host back on the network' })
  @CallableBy(IsolationsPermissions.confirmRelease)
  confirmIsolationRelease(@CurrentPrincipal() principal: Principal, @Args() args: IsolationIdArgs) {
    return this.service.confirmRelease(principal, args.isolationId);
  }

  // Another tenant's isolation resolves to null, like a missing one.
  @ResolveReference()
  @ReferenceCallableBy(IsolationsPermissions.readIsolations)
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    const principal = principalOf(ctx);
    return requestLoader<IsolationEntity>(ctx.req, 'isolation-ref', (ids) => this.service.visibleByIds(principal, ids)).load(ref.id);
  }

  @ResolveField(() => IncidentObject, { nullable: true, description: 'The incident it was asked for' })
  @Directive('@shareable')
  @CallableBy(IncidentsPermissions.readIncidents)
  incident(@Parent() i: IsolationEntity, @Context() ctx: SubgraphContext): Promise<IncidentEntity | null | undefined> {
    const principal = principalOf(ctx);
    return requestLoader<IncidentEntity>(ctx.req, 'isolation-incident', (ids) => this.service.incidentsByIds(principal, ids)).load(i.incidentId);
  }

  @ResolveField(() => String, { description: 'Why it was asked for' })
  requestReason(@Parent() i: IsolationEntity): string {
    return i.reason;
  }
}
