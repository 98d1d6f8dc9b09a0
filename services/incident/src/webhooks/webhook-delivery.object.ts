import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';
import { WEBHOOK_DELIVERY_STATUSES, WebhookDeliveryStatusValue } from './webhook-kinds';

export const WebhookDeliveryStatus = enumOf(WEBHOOK_DELIVERY_STATUSES);
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery is',
  valuesMap: {
    PENDING: { description: 'Queued (or replayed and queued again)' },
    RETRYING: { description: 'The endpoint did not answer 2xx; retried with back-off' },
    SUCCEEDED: { description: 'The endpoint answered 2xx' },
    FAILED: { description: 'Every attempt failed; it can be replayed' },
  },
});

@ObjectType('WebhookAttempt', { description: 'One HTTP attempt of a delivery' })
export class WebhookAttemptObject {
  @Field({ description: 'When it was sent (ISO 8601)' }) at: string;
  @Field(() => Int, { nullable: true, description: 'The HTTP status answered; null when none came' }) statusCode: number | null;
  @Field(() => Int, { description: 'How long it took, in milliseconds' }) durationMs: number;
  @Field(() => String, { nullable: true, description: 'Why it failed, when it did' }) error: string | null;
  @Field({ description: 'Whether it was a replay asked for by hand' }) replay: boolean;
}

@ObjectType('WebhookDelivery', { description: 'One incident event sent to one subscription' })
export class WebhookDeliveryObject {
  @Field(() => ID, { description: 'The webhook-id header (the same on every retry and replay)' }) id: string;
  @Field(() => ID, { description: 'The subscription' }) subscriptionId: string;
  @Field(() => ID, { description: 'The customer whose incident it is about' }) customerId: string;
  @Field({ description: 'The payload’s type, e.g. incident.opened' }) eventType: string;
  @Field({ description: 'The JSON body sent' }) payload: string;
  @Field(() => WebhookDeliveryStatus, { description: 'Where it is' }) status: WebhookDeliveryStatusValue;
  @Field(() => [WebhookAttemptObject], { description: 'Every attempt, oldest first' }) attempts: WebhookAttemptObject[];
  @Field({ description: 'When it was queued' }) createdAt: Date;
}
