import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { EventEnvelope } from '@kanshi/events';
import { defineJob, JobContext, JobDefinition, JobQueue } from '@kanshi/jobs';
import { PLATFORM_CONFIG, TenantDirectory } from '@kanshi/platform';
import { WebhookClient } from '../adapters/webhook.client';
import { IncidentConfig } from '../config';
import { CreateWebhookSubscriptionInput } from './create-webhook-subscription.input';
import { resolveProblem } from './destination-guard';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WEBHOOK_EVENTS, WebhookEventTypeValue } from './webhook-kinds';
import { generateWebhookSecret, webhookHeaders } from './webhook-signature';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookError } from './webhooks.errors';
import { WebhooksPermissions } from './webhooks.permissions';
import { WebhooksRepository } from './webhooks.repository';

export type DeliveryJobData = { deliveryId: string; replay?: boolean };

// Outbound webhooks: incident events, signed the Standard Webhooks way, to the subscriptions of
// the event's customer, its partner and the provider, and to nobody else. A delivery is a job,
// retried with back-off; every attempt is logged; a delivery can be replayed by its owner.
@Injectable()
export class WebhooksService implements OnModuleInit {
  readonly deliveryJob: JobDefinition<DeliveryJobData>;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly directory: TenantDirectory,
    private readonly client: WebhookClient,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) config: IncidentConfig,
  ) {
    this.deliveryJob = defineJob<DeliveryJobData>('webhook-delivery', {
      retryLimit: config.WEBHOOK_RETRY_LIMIT,
      retryDelaySeconds: config.WEBHOOK_RETRY_DELAY_SECONDS,
      retryBackoff: true,
      expireInSeconds: 120,
    });
  }

  onModuleInit(): void {
    this.jobs.work(this.deliveryJob, (d, job) => this.deliver(d.deliveryId, d.replay ?? false, job));
  }

  async create(principal: Principal, input: CreateWebhookSubscriptionInput): Promise<{ subscription: WebhookSubscriptionEntity; secret: string }> {
    authorize(principal, WebhooksPermissions.manageWebhooks);
    const customerId = principal.isCustomer ? (input.customerId ?? principal.customerId!) : input.customerId;
    if (customerId) await this.directory.visibleCustomerOrThrow(principal, customerId);
    const problem = await resolveProblem(input.url, this.client.policy);
    if (problem) throw new WebhookError('WEBHOOK_DESTINATION_REFUSED', `url ${problem}`, 'url');
    const secret = generateWebhookSecret();
    const subscription = await this.repo.insertSubscription({
      ownerKind: principal.isCustomer ? 'CUSTOMER' : principal.isPartner ? 'PARTNER' : 'PROVIDER',
      partnerId: principal.isPartner ? principal.partnerId! : null,
      customerId: customerId ?? null,
      url: input.url,
      eventTypes: input.eventTypes,
      secret,
      description: input.description ?? '',
      createdBy: principal.subject,
    });
    return { subscription, secret };
  }

  async list(principal: Principal): Promise<WebhookSubscriptionEntity[]> {
    authorize(principal, WebhooksPermissions.readWebhooks);
    return this.repo.subscriptions(scopeOf(principal));
  }

  async remove(principal: Principal, id: string): Promise<WebhookSubscriptionEntity> {
    authorize(principal, WebhooksPermissions.manageWebhooks);
    const s = await this.ownedOrThrow(principal, id);
    await this.repo.deactivate(s.id);
    return { ...s, active: false };
  }

  // The latest 100 deliveries of a subscription the caller owns.
  async deliveries(principal: Principal, subscriptionId: string): Promise<WebhookDeliveryEntity[]> {
    authorize(principal, WebhooksPermissions.readWebhooks);
    const s = await this.ownedOrThrow(principal, subscriptionId);
    return this.repo.deliveries(s.id, 100);
  }

  // Sends a delivery again (the same webhook-id, a fresh timestamp and signature).
  async replay(principal: Principal, deliveryId: string): Promise<WebhookDeliveryEntity> {
    authorize(principal, WebhooksPermissions.manageWebhooks);
    const d = await this.repo.delivery(deliveryId);
    const s = d && (await this.repo.subscription(scopeOf(principal), d.subscriptionId));
    if (!d || !s) throw new WebhookError('WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${deliveryId} not found`, 'id');
    await this.repo.setStatus(d.id, 'PENDING');
    await this.jobs.send(this.deliveryJob, { deliveryId: d.id, replay: true });
    return { ...d, status: 'PENDING' };
  }

  // An incident event: one delivery per matching subscription, queued in the consumer's
  // transaction (a redelivered event finds its deliveries and queues none).
  async fanOut(em: EntityManager, kind: WebhookEventTypeValue, e: EventEnvelope<object>): Promise<number> {
    if (!e.customerId) return 0;
    const payload = JSON.stringify({ type: WEBHOOK_EVENTS[kind].type, timestamp: e.occurredAt, data: { customerId: e.customerId, ...e.body } });
    let queued = 0;
    for (const s of await this.repo.matching(em, e.customerId, kind)) {
      const id = await this.repo.insertDelivery(em, { subscriptionId: s.id, customerId: e.customerId, eventId: e.eventId, eventType: WEBHOOK_EVENTS[kind].type, payload });
      if (!id) continue;
      await this.jobs.send(this.deliveryJob, { deliveryId: id }, { em });
      queued++;
    }
    return queued;
  }

  // The job: one POST; a non-2xx answer or no answer throws for the queue's back-off, until the
  // last attempt, which leaves the delivery FAILED (replayable).
  async deliver(deliveryId: string, replay: boolean, job: Pick<JobContext, 'retryCount' | 'retryLimit'>): Promise<void> {
    const d = await this.repo.delivery(deliveryId);
    if (!d || (d.status === 'SUCCEEDED' && !replay)) return;
    const s = await this.repo.subscriptionById(d.subscriptionId);
    const at = this.clock.now();
    if (!s?.active) {
      await this.repo.recordAttempt(d.id, 'FAILED', { at: at.toISOString(), statusCode: null, durationMs: 0, error: 'the subscription was deleted', replay });
      return;
    }
    const timestamp = Math.floor(at.getTime() / 1000);
    const res = await this.client.post(s.url, webhookHeaders(s.secret, d.id, timestamp, d.payload), d.payload);
    const last = job.retryCount >= job.retryLimit;
    const status = res.error === null ? 'SUCCEEDED' : last ? 'FAILED' : 'RETRYING';
    await this.repo.recordAttempt(d.id, status, { at: at.toISOString(), statusCode: res.statusCode, durationMs: res.durationMs, error: res.error, replay });
    if (status === 'RETRYING') throw new Error(`webhook ${d.id} to ${s.url}: ${res.error}`);
  }

  private async ownedOrThrow(principal: Principal, id: string): Promise<WebhookSubscriptionEntity> {
    const s = await this.repo.subscription(scopeOf(principal), id);
    if (!s) throw new WebhookError('WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${id} not found`, 'id');
    return s;
  }
}
