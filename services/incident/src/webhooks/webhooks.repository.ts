import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { WebhookAttempt, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookDeliveryStatusValue, WebhookEventTypeValue } from './webhook-kinds';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class WebhooksRepository {
  constructor(private readonly ds: DataSource) {}

  insertSubscription(values: Omit<WebhookSubscriptionEntity, 'id' | 'createdAt' | 'active'>): Promise<WebhookSubscriptionEntity> {
    const repo = this.ds.getRepository(WebhookSubscriptionEntity);
    return repo.save(repo.create({ ...values, active: true }));
  }

  // Subscriptions are the owner's: a customer sees its own, a partner its own, staff all.
  private ownedBy(scope: TenantScope) {
    const qb = this.ds.getRepository(WebhookSubscriptionEntity).createQueryBuilder('s');
    if (scope.kind === 'customer') qb.where(`s.owner_kind = 'CUSTOMER' AND s.customer_id = :c`, { c: scope.customerId });
    if (scope.kind === 'partner') qb.where(`s.owner_kind = 'PARTNER' AND s.partner_id = :p`, { p: scope.partnerId });
    return qb;
  }

  subscriptions(scope: TenantScope): Promise<WebhookSubscriptionEntity[]> {
    return this.ownedBy(scope).andWhere('s.active').orderBy('s.created_at', 'DESC').addOrderBy('s.id', 'DESC').limit(200).getMany();
  }

  subscription(scope: TenantScope, id: string): Promise<WebhookSubscriptionEntity | null> {
    return UUID.test(id) ? this.ownedBy(scope).andWhere('s.id = :id', { id }).getOne() : Promise.resolve(null);
  }

  async deactivate(id: string): Promise<void> {
    await this.ds.getRepository(WebhookSubscriptionEntity).update({ id }, { active: false });
  }

  // The active subscriptions an event of `customerId` may go to: the customer's own, its
  // partner's (all its customers, or this one), the provider's. Nobody else's.
  async matching(em: EntityManager, customerId: string, type: WebhookEventTypeValue): Promise<WebhookSubscriptionEntity[]> {
    const rows: { id: string }[] = await em.query(
      `SELECT s.id FROM incident.webhook_subscription s
       LEFT JOIN incident.tenant_customer tc ON tc.customer_id = $1
       WHERE s.active AND $2 = ANY (s.event_types) AND (
         (s.owner_kind = 'CUSTOMER' AND s.customer_id = $1)
         OR (s.owner_kind = 'PARTNER' AND s.partner_id = tc.partner_id AND (s.customer_id IS NULL OR s.customer_id = $1))
         OR (s.owner_kind = 'PROVIDER' AND (s.customer_id IS NULL OR s.customer_id = $1)))`,
      [customerId, type],
    );
    return rows.length ? em.getRepository(WebhookSubscriptionEntity).createQueryBuilder('s').where('s.id IN (:...ids)', { ids: rows.map((r) => r.id) }).getMany() : [];
  }

  // null when this subscription already has a delivery of this event (a redelivered event).
  async insertDelivery(em: EntityManager, d: Pick<WebhookDeliveryEntity, 'subscriptionId' | 'customerId' | 'eventId' | 'eventType' | 'payload'>): Promise<string | null> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO incident.webhook_delivery (subscription_id, customer_id, event_id, event_type, payload) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING id`,
      [d.subscriptionId, d.customerId, d.eventId, d.eventType, d.payload],
    );
    return rows[0]?.id ?? null;
  }

  delivery(id: string): Promise<WebhookDeliveryEntity | null> {
    return UUID.test(id) ? this.ds.getRepository(WebhookDeliveryEntity).findOneBy({ id }) : Promise.resolve(null);
  }

  deliveries(subscriptionId: string, limit: number): Promise<WebhookDeliveryEntity[]> {
    return this.ds.getRepository(WebhookDeliveryEntity).createQueryBuilder('d').where('d.subscription_id = :subscriptionId', { subscriptionId }).orderBy('d.created_at', 'DESC').addOrderBy('d.id', 'DESC').limit(limit).getMany();
  }

  subscriptionById(id: string): Promise<WebhookSubscriptionEntity | null> {
    return this.ds.getRepository(WebhookSubscriptionEntity).findOneBy({ id });
  }

  async recordAttempt(id: string, status: WebhookDeliveryStatusValue, attempt: WebhookAttempt): Promise<void> {
    await this.ds.query(`UPDATE incident.webhook_delivery SET status = $2, attempts = attempts || $3::jsonb, updated_at = now() WHERE id = $1`, [id, status, JSON.stringify([attempt])]);
  }

  async setStatus(id: string, status: WebhookDeliveryStatusValue): Promise<void> {
    await this.ds.query(`UPDATE incident.webhook_delivery SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
  }
}
