import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { CreateWebhookSubscriptionInput } from './create-webhook-subscription.input';
import { CreatedWebhookSubscriptionObject } from './created-webhook-subscription.object';
import { WebhookDeliveriesArgs } from './webhook-deliveries.args';
import { WebhookDeliveryObject } from './webhook-delivery.object';
import { WebhookSubscriptionObject } from './webhook-subscription.object';
import { WebhooksPermissions } from './webhooks.permissions';
import { WebhooksService } from './webhooks.service';

@Resolver(() => WebhookSubscriptionObject)
export class WebhooksResolver {
  constructor(private readonly service: WebhooksService) {}

  @Query(() => [WebhookSubscriptionObject], { description: 'Your active webhook subscriptions, newest first (at most 200)' })
  @CallableBy(WebhooksPermissions.readWebhooks)
  webhookSubscriptions(@CurrentPrincipal() principal: Principal) {
    return this.service.list(principal);
  }

  @Query(() => [WebhookDeliveryObject], { description: 'The latest 100 deliveries of one of your subscriptions, newest first' })
  @CallableBy(WebhooksPermissions.readWebhooks)
  webhookDeliveries(@CurrentPrincipal() principal: Principal, @Args() args: WebhookDeliveriesArgs) {
    return this.service.deliveries(principal, args.subscriptionId);
  }

  @Mutation(() => CreatedWebhookSubscriptionObject, { description: 'Subscribes an HTTPS endpoint to incident events; the signing secret is in the answer only' })
  @CallableBy(WebhooksPermissions.manageWebhooks)
  createWebhookSubscription(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The endpoint and events' }) input: CreateWebhookSubscriptionInput) {
    return this.service.create(principal, input);
  }

  @Mutation(() => WebhookSubscriptionObject, { description: 'Stops deliveries to a subscription' })
  @CallableBy(WebhooksPermissions.manageWebhooks)
  deleteWebhookSubscription(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Subscription id' }) id: string) {
    return this.service.remove(principal, id);
  }

  @Mutation(() => WebhookDeliveryObject, { description: 'Sends a delivery again (same webhook-id, new timestamp and signature)' })
  @CallableBy(WebhooksPermissions.manageWebhooks)
  replayWebhookDelivery(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'Delivery id' }) id: string) {
    return this.service.replay(principal, id);
  }
}
