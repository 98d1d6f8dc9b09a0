import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { AlertRef, CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { IncidentSlaObject } from '../sla/incident-sla.object';
import { slaSnapshot } from './incident-writer';
import { TimelineEntryObject } from '../timeline/timeline-entry.object';
import { AssignIncidentArgs } from './assign-incident.args';
import { CommentIncidentArgs } from './comment-incident.args';
import { ConfirmSeverityArgs } from './confirm-severity.args';
import { CustomerIncidentsArgs } from './customer-incidents.args';
import { EscalateIncidentArgs } from './escalate-incident.args';
import { IncidentEntity } from './incident.entity';
import { IncidentFindingsObject } from './incident-findings.object';
import { IncidentIdArgs } from './incident-id.args';
import { IncidentConnection, IncidentObject } from './incident.object';
import { IncidentsArgs } from './incidents.args';
import { IncidentsPermissions } from './incidents.permissions';
import { IncidentsService } from './incidents.service';
import { MarkDuplicateArgs } from './mark-duplicate.args';
import { MergeIncidentsArgs } from './merge-incidents.args';
import { OpenIncidentInput } from './open-incident.input';
import { IncidentReasonArgs } from './reason.args';
import { ResolveIncidentArgs } from './resolve-incident.args';
import { TransitionIncidentArgs } from './transition-incident.args';
import { WriteFindingsArgs } from './write-findings.args';

@Resolver(() => IncidentObject)
export class IncidentsResolver {
  constructor(private readonly service: IncidentsService) {}

  @Query(() => IncidentConnection, { description: 'Incidents you may see, newest first, or (orderBy SLA_DUE) the analysts’ queue, soonest due first' })
  @CallableBy(IncidentsPermissions.readIncidents)
  incidents(@CurrentPrincipal() principal: Principal, @Args() args: IncidentsArgs) {
    return this.service.page(principal, args.filter, args.first, args.after, args.orderBy);
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

  @Mutation(() => IncidentObject, { description: 'The analyst’s severity decision: stops the analysis clock, starts the MDR report clocks, NEW -> TRIAGED. CONFLICT when someone else changed the incident meanwhile' })
  @CallableBy(IncidentsPermissions.confirmSeverity)
  confirmSeverity(@CurrentPrincipal() principal: Principal, @Args() args: ConfirmSeverityArgs) {
    return this.service.confirmSeverity(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'The customer says it has seen the incident' })
  @CallableBy(IncidentsPermissions.acknowledgeIncidents)
  acknowledgeIncident(@CurrentPrincipal() principal: Principal, @Args() args: IncidentIdArgs) {
    return this.service.acknowledge(principal, args.id);
  }

  @Mutation(() => IncidentObject, { description: 'Resolves the incident with a summary' })
  @CallableBy(IncidentsPermissions.workIncidents)
  resolveIncident(@CurrentPrincipal() principal: Principal, @Args() args: ResolveIncidentArgs) {
    return this.service.resolve(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Moves the incident along its workflow (NEW -> TRIAGED -> NOTIFIED -> CONTAINED -> RESOLVED -> CLOSED; RESOLVED or CLOSED -> TRIAGED reopens)' })
  @CallableBy(IncidentsPermissions.workIncidents)
  transitionIncident(@CurrentPrincipal() principal: Principal, @Args() args: TransitionIncidentArgs) {
    return this.service.transition(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Assigns the tier-1 engineer or the tier-2 analyst' })
  @CallableBy(IncidentsPermissions.workIncidents)
  assignIncident(@CurrentPrincipal() principal: Principal, @Args() args: AssignIncidentArgs) {
    return this.service.assign(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Escalates to tier 2 (second response by a security analyst)' })
  @CallableBy(IncidentsPermissions.workIncidents)
  escalateToTier2(@CurrentPrincipal() principal: Principal, @Args() args: EscalateIncidentArgs) {
    return this.service.escalateToTier2(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Adds a comment to the timeline (customers and staff); a staff comment is internal unless marked for the customer' })
  @CallableBy(IncidentsPermissions.commentIncidents)
  commentOnIncident(@CurrentPrincipal() principal: Principal, @Args() args: CommentIncidentArgs) {
    return this.service.comment(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Writes the analysts’ findings (what is happening, how dangerous, what to do)' })
  @CallableBy(IncidentsPermissions.writeFindings)
  writeIncidentFindings(@CurrentPrincipal() principal: Principal, @Args() args: WriteFindingsArgs) {
    return this.service.writeFindings(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Merges one incident into another of the same customer; returns the one that stays' })
  @CallableBy(IncidentsPermissions.mergeIncidents)
  mergeIncidents(@CurrentPrincipal() principal: Principal, @Args() args: MergeIncidentsArgs) {
    return this.service.merge(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Closes the incident as a duplicate of another' })
  @CallableBy(IncidentsPermissions.workIncidents)
  markIncidentDuplicate(@CurrentPrincipal() principal: Principal, @Args() args: MarkDuplicateArgs) {
    return this.service.markDuplicate(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Closes the incident as a false positive' })
  @CallableBy(IncidentsPermissions.workIncidents)
  markIncidentFalsePositive(@CurrentPrincipal() principal: Principal, @Args() args: IncidentReasonArgs) {
    return this.service.markFalsePositive(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Pauses the SLA clocks while waiting for the customer' })
  @CallableBy(IncidentsPermissions.workIncidents)
  pauseIncidentSla(@CurrentPrincipal() principal: Principal, @Args() args: IncidentReasonArgs) {
    return this.service.pauseSla(principal, args);
  }

  @Mutation(() => IncidentObject, { description: 'Resumes the SLA clocks; their due times move by the length of the pause' })
  @CallableBy(IncidentsPermissions.workIncidents)
  resumeIncidentSla(@CurrentPrincipal() principal: Principal, @Args() args: IncidentIdArgs) {
    return this.service.resumeSla(principal, args.id);
  }

  @ResolveField(() => CustomerRef, { description: 'The customer it happened at' })
  customer(@Parent() i: IncidentEntity): CustomerRef {
    return { id: i.customerId };
  }

  @ResolveField(() => IncidentSlaObject, { description: 'The SLA clocks' })
  async sla(@Parent() i: IncidentEntity, @Context() ctx: SubgraphContext): Promise<IncidentSlaObject> {
    const principal = principalOf(ctx);
    const pauses = (await requestLoader(ctx.req, 'incident-pauses', (ids) => this.service.pauses(principal, ids)).load(i.id)) ?? [];
    return {
      analysisDueAt: i.analysisDueAt,
      firstReportDueAt: i.firstReportDueAt,
      detailedReportDueAt: i.detailedReportDueAt,
      analysisMetAt: i.analysisMetAt,
      firstReportMetAt: i.firstReportMetAt,
      detailedReportMetAt: i.detailedReportMetAt,
      breached: i.analysisBreached || i.firstReportBreached || i.detailedReportBreached,
      clocks: slaSnapshot(i).map((c) => ({ clock: c.clock, dueAt: new Date(c.dueAt), metAt: c.metAt ? new Date(c.metAt) : null, breached: c.breached })),
      pausedAt: i.pausedAt,
      pauseReason: i.pauseReason,
      pauses,
      nextDueAt: i.nextDueAt,
    };
  }

  @ResolveField(() => IncidentFindingsObject, { description: 'What the analysts found' })
  findings(@Parent() i: IncidentEntity): IncidentFindingsObject {
    return { whatIsHappening: i.whatIsHappening, howDangerous: i.howDangerous, whatToDo: i.whatToDo };
  }

  @ResolveField(() => [AlertRef], { description: 'The alerts of its verdicts, in the order they came' })
  @CallableBy(IncidentsPermissions.readIncidentAlerts)
  async alerts(@Parent() i: IncidentEntity, @Context() ctx: SubgraphContext): Promise<AlertRef[]> {
    const principal = principalOf(ctx);
    const ids = (await requestLoader(ctx.req, 'incident-alerts', (keys) => this.service.alertIds(principal, keys)).load(i.id)) ?? [];
    return ids.map((id) => ({ id }));
  }

  @ResolveField(() => [TimelineEntryObject], { description: 'What happened, oldest first (the latest 500 entries)' })
  async timeline(@Parent() i: IncidentEntity, @Context() ctx: SubgraphContext): Promise<TimelineEntryObject[]> {
    const principal = principalOf(ctx);
    return (await requestLoader(ctx.req, 'incident-timeline', (keys) => this.service.timelines(principal, keys)).load(i.id)) ?? [];
  }

  // Another tenant's incident resolves to null, like a missing one.
  @ResolveReference()
  @ReferenceCallableBy(IncidentsPermissions.readIncidents)
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
  @CallableBy(IncidentsPermissions.readIncidents)
  incidents(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext, @Args() args: CustomerIncidentsArgs) {
    return this.service.page(principalOf(ctx), { customerId: customer.id }, args.first, args.after);
  }
}
