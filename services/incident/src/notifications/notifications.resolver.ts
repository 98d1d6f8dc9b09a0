import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { IncidentObject } from '../incidents/incident.object';
import { CallTaskObject } from './call-task.object';
import { CallTasksArgs } from './call-tasks.args';
import { CallTasksService } from './call-tasks.service';
import { NotificationObject } from './notification.object';
import { NotificationEntity } from './notification.entity';
import { NotificationsPermissions } from './notifications.permissions';
import { NotificationsService } from './notifications.service';
import { RecordCallOutcomeInput } from './record-call-outcome.input';

@Resolver(() => IncidentObject)
export class IncidentNotificationsResolver {
  constructor(private readonly service: NotificationsService) {}

  @ResolveField(() => [NotificationObject], { description: 'Mails and phone calls to the customer’s contacts, oldest first' })
  @CallableBy(NotificationsPermissions.readNotifications)
  async notifications(@Parent() incident: { id: string }, @Context() ctx: SubgraphContext): Promise<NotificationEntity[]> {
    const principal = principalOf(ctx);
    return (await requestLoader<NotificationEntity[]>(ctx.req, 'incident-notifications', (ids) => this.service.forIncidents(principal, ids)).load(incident.id)) ?? [];
  }
}

@Resolver(() => CallTaskObject)
export class CallTasksResolver {
  constructor(private readonly service: CallTasksService) {}

  @Query(() => [CallTaskObject], { description: 'Phone call tasks for the operators (at most 200)' })
  @CallableBy(NotificationsPermissions.readCallTasks)
  callTasks(@CurrentPrincipal() principal: Principal, @Args() args: CallTasksArgs) {
    return this.service.list(principal, args.onlyOpen ?? true);
  }

  @Mutation(() => CallTaskObject, { description: 'Records what came of a call: reached closes the task and delivers the first report; otherwise the next contact is due at once' })
  @CallableBy(NotificationsPermissions.recordCallOutcome)
  recordCallOutcome(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The call and its outcome' }) input: RecordCallOutcomeInput) {
    return this.service.recordOutcome(principal, input);
  }
}
