import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { requestLoader, SubgraphContext } from '@kanshi/platform';
import { AlertGroupEntity } from './alert-group.entity';
import { AlertGroupMemberConnection } from './alert-group-member.object';
import { AlertGroupConnection, AlertGroupObject } from './alert-group.object';
import { AlertGroupsArgs } from './alert-groups.args';
import { AlertGroupsPermissions } from './alert-groups.permissions';
import { AlertGroupsService } from './alert-groups.service';
import { ListPageArgs } from './page.args';

@Resolver(() => AlertGroupObject)
export class AlertGroupsResolver {
  constructor(private readonly service: AlertGroupsService) {}

  @Query(() => AlertGroupConnection, { description: 'Alert groups you may see, newest first' })
  @CallableBy(AlertGroupsPermissions.readAlertGroups)
  alertGroups(@CurrentPrincipal() principal: Principal, @Args() args: AlertGroupsArgs) {
    return this.service.page(principal, args.filter, args.first, args.after);
  }

  @Query(() => AlertGroupObject, { nullable: true, description: "An alert group; null when missing or another tenant's" })
  @CallableBy(AlertGroupsPermissions.readAlertGroups)
  alertGroup(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Group id' }) id: string, @Context() ctx: SubgraphContext) {
    return requestLoader<AlertGroupEntity>(ctx.req, 'alert-group', (ids) => this.service.visibleByIds(principal, ids)).load(id);
  }

  @Mutation(() => AlertGroupObject, { description: 'Closes an alert group: the next related alert starts a new group' })
  @CallableBy(AlertGroupsPermissions.closeAlertGroups)
  closeAlertGroup(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Group id' }) id: string) {
    return this.service.close(principal, id);
  }

  @ResolveField(() => AlertGroupMemberConnection, { description: 'The alerts of the group, newest first' })
  alerts(@Parent() group: AlertGroupEntity, @Args() args: ListPageArgs) {
    return this.service.members(group, args.first, args.after);
  }
}
