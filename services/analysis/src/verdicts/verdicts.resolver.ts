import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { AlertRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { AlertGroupEntity } from '../alert-groups/alert-group.entity';
import { AlertGroupObject } from '../alert-groups/alert-group.object';
import { AlertGroupsService } from '../alert-groups/alert-groups.service';
import { OverrideVerdictArgs } from './override-verdict.args';
import { VerdictObject } from './verdict.object';
import { VerdictsPermissions } from './verdicts.permissions';
import { VerdictsService } from './verdicts.service';
import { AlertGroupsPermissions } from '../alert-groups/alert-groups.permissions';

@Resolver(() => VerdictObject)
export class VerdictsResolver {
  constructor(
    private readonly service: VerdictsService,
    private readonly groups: AlertGroupsService,
  ) {}

  @ResolveField(() => AlertGroupObject, { nullable: true, description: 'The alert group it belongs to (related alerts: same vendor key, rule and host, or a shared host or IOC); null when it has none' })
  @CallableBy(AlertGroupsPermissions.readAlertGroups)
  group(@Parent() verdict: VerdictObject, @Context() ctx: SubgraphContext): Promise<AlertGroupEntity | null> | null {
    if (!verdict.groupId) return null;
    const principal = principalOf(ctx);
    return requestLoader<AlertGroupEntity>(ctx.req, 'alert-group', (ids) => this.groups.visibleByIds(principal, ids)).load(verdict.groupId);
  }

  @Mutation(() => VerdictObject, { description: 'Overrides a verdict’s severity with a rationale; the automatic decision is kept beside it and the verdict is published again (analysis.verdict.issued.v2, overridden: true)' })
  @CallableBy(VerdictsPermissions.overrideVerdicts)
  overrideVerdict(@CurrentPrincipal() principal: Principal, @Args() args: OverrideVerdictArgs) {
    return this.service.override(principal, args);
  }
}

// Alert (ingestion's entity) gets its verdict here: one query per gateway fetch, scoped to the
// caller, so another tenant's alert reads as having none.
@Resolver(() => AlertRef)
export class AlertVerdictResolver {
  constructor(private readonly service: VerdictsService) {}

  @ResolveField(() => VerdictObject, { nullable: true, description: 'Analysis’ verdict on the alert; null until analysed' })
  @CallableBy(VerdictsPermissions.readVerdicts)
  verdict(@Parent() alert: AlertRef, @Context() ctx: SubgraphContext): Promise<VerdictObject | null> {
    const principal = principalOf(ctx);
    return requestLoader<VerdictObject>(ctx.req, 'verdictByAlert', (ids) => this.service.byAlertIds(principal, ids)).load(alert.id);
  }
}
