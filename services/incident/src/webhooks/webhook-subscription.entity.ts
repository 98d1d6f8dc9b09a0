import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEventTypeValue, WebhookOwnerKindValue } from './webhook-kinds';

@Entity({ schema: 'incident', name: 'webhook_subscription' })
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'owner_kind', type: 'text' }) ownerKind: WebhookOwnerKindValue;
  @Column({ name: 'partner_id', type: 'uuid', nullable: true }) partnerId: string | null;
  @Column({ name: 'customer_id', type: 'uuid', nullable: true }) customerId: string | null;
  @Column({ type: 'text' }) url: string;
  @Column({ name: 'event_types', type: 'text', array: true }) eventTypes: WebhookEventTypeValue[];
  // Signs deliveries; shown to the subscriber once, at creation.
  @Column({ type: 'text' }) secret: string;
  @Column({ type: 'text' }) description: string;
  @Column({ type: 'boolean' }) active: boolean;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
