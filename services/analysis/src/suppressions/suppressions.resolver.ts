import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { ListPageArgs } from '../alert-groups/page.args';
import { CreateSuppressionInput } from './create-suppression.input';
import { SuppressedAlertConnection } from './suppressed-alert.object';
import { SuppressionObject } from './suppression.object';
import { SuppressionsPermissions } from './suppressions.permissions';
import { SuppressionsService, SuppressionView } from './suppressions.service';

@Resolver(() => SuppressionObject)
export class SuppressionsResolver {
  constructor(private readonly service: SuppressionsService) {}

  @Query(() => [SuppressionObject], { description: "Suppressions applying to the customers you may see (their own and global ones), newest first; refused past 500 (narrow it)" })
  @CallableBy(SuppressionsPermissions.readSuppressions)
  suppressions(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId', { type: () => ID, nullable: true, description: "Only those applying to this customer: its own and global ones" }) customerId?: string,
    @Args('active', { type: () => Boolean, nullable: true, description: 'true: only those silencing now; false: only those not (ended, expired or not started)' }) active?: boolean,
  ) {
    return this.service.list(principal, { customerId: customerId ?? undefined, active: active ?? undefined });
  }

  @Mutation(() => SuppressionObject, { description: "Silences matching alerts for a window (at most 90 days ahead): analysts and provider admins for any customer or globally, a customer admin for its own customer" })
  @CallableBy(SuppressionsPermissions.manageSuppressions)
  createSuppression(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The suppression' }) input: CreateSuppressionInput) {
    return this.service.create(principal, input);
  }

  @Mutation(() => SuppressionObject, { description: 'Ends a suppression now; the alerts it silenced stay recorded' })
  @CallableBy(SuppressionsPermissions.manageSuppressions)
  endSuppression(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Suppression id' }) id: string) {
    return this.service.end(principal, id);
  }

  @ResolveField(() => Int, { description: 'How many alerts it silenced (of the customers you may see)' })
  @CallableBy(SuppressionsPermissions.readSuppressions)
  hits(@Parent() s: SuppressionView, @Context() ctx: SubgraphContext) {
    const principal = principalOf(ctx);
    return requestLoader<number>(ctx.req, 'suppression-hits', (ids) => this.service.hitCounts(principal, ids)).load(s.id);
  }

  @ResolveField(() => SuppressedAlertConnection, { description: 'The alerts it silenced (of the customers you may see), newest first' })
  @CallableBy(SuppressionsPermissions.readSuppressions)
  suppressedAlerts(@Parent() s: SuppressionView, @Context() ctx: SubgraphContext, @Args() args: ListPageArgs) {
    return this.service.suppressedAlerts(principalOf(ctx), s.id, args.first, args.after);
  }
}
