import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createLogger } from '@kanshi/observability';
import { addDays, tokyoMidnight } from '@kanshi/calendar';
import { StripeAdapter, StripeRejectedError, StripeUnavailableError } from '../adapters/stripe.adapter';
import { ContractsConfig } from '../config';
import { CONTRACTS_CONFIG, CONTRACTS_OPTIONS, ContractsModuleOptions, STRIPE } from '../contracts-core.module';
import { InvoicesService } from '../invoices/invoices.service';
import { InvoiceToSync, StripeSyncRepository } from './stripe-sync.repository';

// How long a claimed invoice is left to one worker before another may try it.
const LEASE_SECONDS = 300;
const BATCH = 20;

export interface SyncOutcome {
  synced: number;
  retrying: number;
  failed: number;
}

// Sends issued invoices to Stripe in the background. An invoice stays "pending sync" until
// Stripe has it; when Stripe cannot be reached it is tried again later with exponential back-off.
// It is never created twice: the adapter's idempotency keys and its lookup by our invoice id make
// a repeated attempt finish the first one's work instead of redoing it.
@Injectable()
export class StripeSyncService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = createLogger('StripeSyncService');
  private timer?: NodeJS.Timeout;
  private inFlight: Promise<unknown> = Promise.resolve();
  private stopped = false;
  // Claims of a pass that failed before it got to them (the database went away mid-pass): given
  // back at the next pass, so they wait one interval, not the whole lease.
  private abandoned: InvoiceToSync[] = [];

  constructor(
    private readonly repo: StripeSyncRepository,
    private readonly invoices: InvoicesService,
    @Inject(STRIPE) private readonly stripe: StripeAdapter | null,
    @Inject(CONTRACTS_CONFIG) private readonly config: ContractsConfig,
    @Inject(CONTRACTS_OPTIONS) private readonly opts: ContractsModuleOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.opts.startWorkers === false) return;
    if (!this.stripe) this.log.warn('STRIPE_API_KEY is not set: issued invoices stay pending sync until it is');
    this.stopped = false;
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
  }

  // One pass of the background loop: overdue invoices, then what is due for Stripe.
  async tick(): Promise<SyncOutcome> {
    await this.invoices.markOverdue();
    return this.syncDue();
  }

  async syncDue(): Promise<SyncOutcome> {
    const outcome: SyncOutcome = { synced: 0, retrying: 0, failed: 0 };
    if (!this.stripe) return outcome;
    if (this.abandoned.length) {
      await this.repo.release(this.abandoned);
      this.abandoned = [];
    }
    for (;;) {
      const claimed = await this.repo.claimDue(BATCH, LEASE_SECONDS);
      for (let i = 0; i < claimed.length; i++) {
        try {
          outcome[await this.syncOne(this.stripe, claimed[i])]++;
        } catch (err) {
          // syncOne records every Stripe outcome; what escapes is the database failing under it
          this.abandoned.push(...claimed.slice(i));
          throw err;
        }
      }
      if (claimed.length < BATCH || this.stopped) return outcome;
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.inFlight = this.tick()
        .catch((err) => this.log.warn({ err }, 'Stripe sync pass failed; will try again'))
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, this.config.STRIPE_SYNC_INTERVAL_MS);
    this.timer.unref();
  }

  private async syncOne(stripe: StripeAdapter, invoice: InvoiceToSync): Promise<keyof SyncOutcome> {
    try {
      if (invoice.status === 'VOID') {
        await this.voidInStripe(stripe, invoice);
        return 'synced';
      }
      const stripeCustomerId = await this.stripeCustomer(stripe, invoice);
      const result = await stripe.syncInvoice({
        kanshiInvoiceId: invoice.id,
        invoiceNumber: invoice.number,
        stripeCustomerId,
        lines: await this.repo.lines(invoice.id),
        tax: invoice.tax,
        dueDate: stripeDueDate(invoice.dueDate),
      });
      await this.repo.markSynced(invoice.id, result.stripeInvoiceId, false);
      return 'synced';
    } catch (err) {
      if (err instanceof StripeRejectedError || err instanceof RangeError) {
        this.log.error({ err, invoiceId: invoice.id, number: invoice.number }, 'Stripe refused the invoice; it needs a human');
        await this.repo.markFailed(invoice.id, (err as Error).message);
        return 'failed';
      }
      const delay = Math.min(this.config.STRIPE_RETRY_BASE_MS * 2 ** invoice.attempts, this.config.STRIPE_RETRY_MAX_MS);
      if (err instanceof StripeUnavailableError) this.log.warn({ err, invoiceId: invoice.id, delayMs: delay }, 'Stripe unavailable; invoice stays pending sync');
      else this.log.error({ err, invoiceId: invoice.id, delayMs: delay }, 'unexpected error syncing an invoice; will retry');
      await this.repo.retryLater(invoice.id, delay, (err as Error).message ?? String(err));
      return 'retrying';
    }
  }

  // The Stripe customer of the invoice's recipient, created on first use.
  private async stripeCustomer(stripe: StripeAdapter, invoice: InvoiceToSync): Promise<string> {
    const recipient = await this.repo.recipient(invoice.recipientKind, invoice.recipientId);
    if (!recipient) throw new RangeError(`the ${invoice.recipientKind} ${invoice.recipientId} of invoice ${invoice.number} no longer exists`);
    if (recipient.stripeCustomerId) return recipient.stripeCustomerId;
    const id = await stripe.upsertCustomer({
      kanshiCustomerId: invoice.recipientId,
      name: recipient.name,
      email: recipient.email ?? '',
      metadata: { kanshi_recipient_kind: invoice.recipientKind },
    });
    await this.repo.setStripeCustomerId(invoice.recipientKind, invoice.recipientId, id);
    return id;
  }

  private async voidInStripe(stripe: StripeAdapter, invoice: InvoiceToSync): Promise<void> {
    let stripeInvoiceId = invoice.stripeInvoiceId;
    if (!stripeInvoiceId) {
      // An earlier attempt may have reached Stripe without us learning the invoice's id.
      const recipient = await this.repo.recipient(invoice.recipientKind, invoice.recipientId);
      const found = recipient?.stripeCustomerId ? await stripe.lookupInvoice(recipient.stripeCustomerId, invoice.id) : undefined;
      // A Stripe draft is never sent (auto_advance is off), so only an issued one needs voiding.
      if (found && found.status !== 'draft') stripeInvoiceId = found.stripeInvoiceId;
    }
    if (stripeInvoiceId) await stripe.voidInvoice(stripeInvoiceId);
    await this.repo.markSynced(invoice.id, stripeInvoiceId, true);
  }
}

// The end of the due day in Tokyo; Stripe refuses due dates in the past, so an invoice synced
// after its due date is due tomorrow in Stripe (Kanshi keeps the real due date).
export function stripeDueDate(dueDate: string, now = new Date()): Date {
  const endOfDay = new Date(tokyoMidnight(addDays(dueDate, 1)).getTime() - 1000);
  const earliest = new Date(now.getTime() + 24 * 3600 * 1000);
  return endOfDay > earliest ? endOfDay : earliest;
}
