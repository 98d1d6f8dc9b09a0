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
import { InvoiceEntity } from '../invoices/invoice.entity';
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
    const match = await this.matchInvoice(em, stripeInvoice);
    if (typeof match === 'string') {
      if (match.startsWith('refused')) this.log.error({ type, stripeInvoiceId: stripeInvoice.id, metadataInvoiceId: stripeInvoice.metadata?.kanshi_invoice_id, outcome: match }, 'Stripe invoice event refused: it does not match its Kanshi invoice; nothing changed');
      return match;
    }
    const invoice = match;
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

  // The Kanshi invoice a Stripe invoice event is about, only when everything agrees: the invoice its
  // metadata names is the one holding its Stripe id (or holds none yet: the answer to the sync was
  // lost), and Stripe's total and currency are the invoice's. Otherwise the outcome, as text.
  private async matchInvoice(em: EntityManager, stripeInvoice: Stripe.Invoice): Promise<InvoiceEntity | string> {
    const metadataId = stripeInvoice.metadata?.kanshi_invoice_id;
    const kanshiId = isUuid(metadataId) ? metadataId : null;
    const { byStripeId, byMetadata } = await this.repo.invoicesForUpdate(em, stripeInvoice.id!, kanshiId);
    if (!byStripeId && !byMetadata) return metadataId === undefined ? 'ignored: not a Kanshi invoice' : `refused: metadata names invoice ${JSON.stringify(metadataId)}, which does not exist`;
    if (!byMetadata) return `refused: Stripe invoice ${stripeInvoice.id} is Kanshi invoice ${byStripeId!.id} but its metadata names ${metadataId === undefined ? 'no invoice' : JSON.stringify(metadataId)}`;
    if (byStripeId && byStripeId.id !== byMetadata.id) return `refused: Stripe invoice ${stripeInvoice.id} is Kanshi invoice ${byStripeId.id} but its metadata names ${byMetadata.id}`;
    if (!byStripeId && byMetadata.stripeInvoiceId) return `refused: metadata names invoice ${byMetadata.id}, which is Stripe invoice ${byMetadata.stripeInvoiceId}, not ${stripeInvoice.id}`;
    if (stripeInvoice.currency?.toLowerCase() !== 'jpy' || stripeInvoice.total !== byMetadata.total) {
      return `refused: Stripe invoice ${stripeInvoice.id} is for ${stripeInvoice.total} ${String(stripeInvoice.currency).toUpperCase()}, invoice ${byMetadata.number ?? byMetadata.id} for ${byMetadata.total} JPY`;
    }
    return byMetadata;
  }
}
