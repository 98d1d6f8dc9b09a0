import { Field, ObjectType } from '@nestjs/graphql';
import { WebhookSubscriptionObject } from './webhook-subscription.object';

@ObjectType('CreatedWebhookSubscription', { description: 'A new subscription and its signing secret, shown this once' })
export class CreatedWebhookSubscriptionObject {
  @Field(() => WebhookSubscriptionObject, { description: 'The subscription' }) subscription: WebhookSubscriptionObject;
  @Field({ description: 'whsec_<base64>: verify webhook-signature with it (HMAC-SHA256 of "webhook-id.webhook-timestamp.body"); it is not shown again' })
  secret: string;
}
