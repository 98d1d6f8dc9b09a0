import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@kanshi/errors';
import { createLogger } from '@kanshi/observability';
import { Clock } from '@kanshi/calendar';
import { StripeAdapter, StripeSignatureError } from '../adapters/stripe.adapter';
import { isUuid } from '../common/ids';
import { STRIPE } from '../contracts-core.module';
import { ContractsError } from '../contracts.errors';
import { InvoicesService } from '../invoices/invoices.service';
import { StripeSyncRepository } from './stripe-sync.repository';

export type WebhookResult = { duplicate: boolean; outcome: string };

// Stripe's webhooks: payments, voids and customer changes made on Stripe's side. The signature is
// checked on the raw body first; each event id is applied once (a redelivery changes nothing).
@Injectable()
export class StripeWebhooksService {
  private readonly log = createLogger('StripeWebhooksService');

  constructor(
    private readonly ds: DataSource,
    private readonly repo: StripeSyncRepository,
    private readonly invoices: InvoicesService,
    private readonly clock: Clock,
    @Inject(STRIPE) private readonly stripe: StripeAdapter | null,
  ) {}

  async handle(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookResult> {
    if (!this.stripe) throw new DomainError('UNAVAILABLE', 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)');
    if (!rawBody) throw new ContractsError('BAD_INPUT', 'the webhook has no body', 'body');
    let event: Stripe.Event;
    try {
      event = this.stripe.verifyWebhook(rawBody, signature);
    } catch (err) {
      if (err instanceof StripeSignatureError) throw new ContractsError('BAD_INPUT', err.message, 'Stripe-Signature');
      throw err;
    }
    const object = event.data.object as { id?: string };
    return this.ds.transaction(async (em) => {
      if (!(await this.repo.recordEvent(em, event.id, event.type, object.id ?? null))) return { duplicate: true, outcome: 'duplicate' };
      const outcome = await this.apply(em, event);
      await this.repo.setOutcome(em, event.id, outcome);
      this.log.info({ eventId: event.id, type: event.type, outcome }, 'Stripe webhook handled');
      return { duplicate: false, outcome };
    });
  }

  private async apply(em: EntityManager, event: Stripe.Event): Promise<string> {
    switch (event.type) {
      case 'invoice.paid':
      case 'invoice.payment_failed':
      case 'invoice.voided':
        return this.invoiceEvent(em, event.type, event.data.object as Stripe.Invoice);
      case 'customer.updated': {
        const customer = event.data.object as Stripe.Customer;
        if (!customer.email) return 'ignored: no e-mail';
        const who = await this.repo.updateBillingEmail(em, customer.id, customer.email);
        return who ? `billing e-mail of the ${who} updated` : 'ignored: unknown Stripe customer';
      }
      default:
        return 'ignored: event type not handled';
    }
  }

  private async invoiceEvent(em: EntityManager, type: string, stripeInvoice: Stripe.Invoice): Promise<string> {
    const kanshiId = stripeInvoice.metadata?.kanshi_invoice_id;
    const invoice = await this.repo.invoiceForUpdate(em, stripeInvoice.id!, isUuid(kanshiId) ? kanshiId : null);
    if (!invoice) return 'ignored: not a Kanshi invoice';
    if (!invoice.stripeInvoiceId) await this.repo.setStripeInvoiceId(em, invoice.id, stripeInvoice.id!);
    const now = this.clock.now();
    if (type === 'invoice.paid') {
      if (invoice.status === 'PAID') return 'already paid';
      if (invoice.status === 'VOID' || invoice.status === 'DRAFT') return `ignored: invoice is ${invoice.status.toLowerCase()}`;
      const paidAt = stripeInvoice.status_transitions?.paid_at ? new Date(stripeInvoice.status_transitions.paid_at * 1000) : now;
      await this.repo.markPaid(em, invoice.id, paidAt);
      return 'paid';
    }
    if (type === 'invoice.payment_failed') {
      if (invoice.status !== 'ISSUED' && invoice.status !== 'OVERDUE') return `ignored: invoice is ${invoice.status.toLowerCase()}`;
      await this.repo.markPaymentFailed(em, invoice.id, now, invoice.dueDate < this.clock.today());
      return 'payment failed recorded';
    }
    // invoice.voided
    if (invoice.status === 'VOID') return 'already void';
    if (invoice.status === 'PAID') return 'ignored: invoice is paid';
    await this.invoices.voidWithin(em, invoice, now, 'stripe');
    return 'voided';
  }
}
