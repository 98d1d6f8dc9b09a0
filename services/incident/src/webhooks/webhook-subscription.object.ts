import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_OWNER_KINDS, WebhookEventTypeValue, WebhookOwnerKindValue } from './webhook-kinds';

export const WebhookEventType = enumOf(WEBHOOK_EVENT_TYPES);
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'An incident event a webhook can deliver (its `type` in the payload in brackets)',
  valuesMap: {
    INCIDENT_OPENED: { description: 'An incident was opened (incident.opened)' },
    INCIDENT_UPDATED: { description: 'An incident changed; the whole incident with its version (incident.updated)' },
    SEVERITY_CONFIRMED: { description: 'An analyst confirmed the severity (incident.severity_confirmed)' },
    INCIDENT_RESOLVED: { description: 'An incident was resolved (incident.resolved)' },
    SLA_BREACHED: { description: 'An SLA clock ran out (incident.sla_breached)' },
  },
});
export const WebhookOwnerKind = enumOf(WEBHOOK_OWNER_KINDS);
registerEnumType(WebhookOwnerKind, {
  name: 'WebhookOwnerKind',
  description: 'Whose subscription it is',
  valuesMap: {
    CUSTOMER: { description: 'A customer’s, for its own incidents' },
    PARTNER: { description: 'A partner’s, for its customers’ incidents' },
    PROVIDER: { description: 'The provider’s (its NOC)' },
  },
});

@ObjectType('WebhookSubscription', { description: 'An HTTPS endpoint receiving signed incident events (Standard Webhooks)' })
export class WebhookSubscriptionObject {
  @Field(() => ID, { description: 'Subscription id' }) id: string;
  @Field(() => WebhookOwnerKind, { description: 'Whose it is' }) ownerKind: WebhookOwnerKindValue;
  @Field(() => ID, { nullable: true, description: 'The partner, for a partner’s' }) partnerId: string | null;
  @Field(() => ID, { nullable: true, description: 'The one customer whose incidents it receives; null: all the owner may see' }) customerId: string | null;
  @Field({ description: 'Where deliveries go' }) url: string;
  @Field(() => [WebhookEventType], { description: 'The events it receives' }) eventTypes: WebhookEventTypeValue[];
  @Field({ description: 'What it is for' }) description: string;
  @Field({ description: 'False once deleted: nothing more is delivered' }) active: boolean;
  @Field({ description: 'When it was made' }) createdAt: Date;
}
