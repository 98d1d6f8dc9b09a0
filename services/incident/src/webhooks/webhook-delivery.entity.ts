import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookDeliveryStatusValue } from './webhook-kinds';

export interface WebhookAttempt {
  at: string;
  // null when no HTTP answer came (refused destination, timeout, connection error).
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  replay: boolean;
}

@Entity({ schema: 'incident', name: 'webhook_delivery' })
export class WebhookDeliveryEntity {
  // The webhook-id header: the same on every retry and replay, so receivers can drop duplicates.
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'subscription_id', type: 'uuid' }) subscriptionId: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Column({ name: 'event_type', type: 'text' }) eventType: string;
  @Column({ type: 'text' }) payload: string;
  @Column({ type: 'text' }) status: WebhookDeliveryStatusValue;
  @Column({ type: 'jsonb' }) attempts: WebhookAttempt[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
