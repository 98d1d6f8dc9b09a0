import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InvoiceEntity, InvoiceStatus } from '../invoices/invoice.entity';

export interface InvoiceToSync {
  id: string;
  number: string;
  status: InvoiceStatus;
  recipientKind: 'customer' | 'partner';
  recipientId: string;
  tax: number;
  dueDate: string;
  stripeInvoiceId: string | null;
  attempts: number;
}

export interface StripeRecipient {
  name: string;
  email: string | null;
  stripeCustomerId: string | null;
}

@Injectable()
export class StripeSyncRepository {
  constructor(private readonly ds: DataSource) {}

  // Claims due invoices with a lease: another replica skips them until the lease runs out, and a
  // crashed worker's claims come back by themselves.
  async claimDue(limit: number, leaseSeconds: number): Promise<InvoiceToSync[]> {
    const [rows]: [Record<string, unknown>[], number] = await this.ds.query(
      `UPDATE contracts.invoice SET stripe_next_attempt_at = now() + make_interval(secs => $2)
       WHERE id IN (SELECT id FROM contracts.invoice WHERE stripe_sync_status = 'PENDING' AND stripe_next_attempt_at <= now()
                    ORDER BY stripe_next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, number, status, recipient_kind, recipient_id, tax, due_date::text AS due_date, stripe_invoice_id, stripe_sync_attempts`,
      [limit, leaseSeconds],
    );
    return rows.map((r) => ({
      id: r.id as string,
      number: r.number as string,
      status: r.status as InvoiceStatus,
      recipientKind: r.recipient_kind as 'customer' | 'partner',
      recipientId: r.recipient_id as string,
      tax: Number(r.tax),
      dueDate: r.due_date as string,
      stripeInvoiceId: (r.stripe_invoice_id as string | null) ?? null,
      attempts: r.stripe_sync_attempts as number,
    }));
  }

  async lines(invoiceId: string): Promise<{ lineKey: string; description: string; amount: number }[]> {
    const rows: { line_key: string; description_ja: string; amount: string }[] = await this.ds.query(
      `SELECT line_key, description_ja, amount FROM contracts.invoice_line WHERE invoice_id = $1 ORDER BY position`,
      [invoiceId],
    );
    return rows.map((r) => ({ lineKey: r.line_key, description: r.description_ja, amount: Number(r.amount) }));
  }

  async recipient(kind: 'customer' | 'partner', id: string): Promise<StripeRecipient | null> {
    const rows: StripeRecipient[] =
      kind === 'customer'
        ? await this.ds.query(`SELECT name, billing_contact->>'email' AS email, stripe_customer_id AS "stripeCustomerId" FROM contracts.customer WHERE id = $1`, [id])
        : await this.ds.query(`SELECT name, billing_email AS email, stripe_customer_id AS "stripeCustomerId" FROM contracts.partner WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async setStripeCustomerId(kind: 'customer' | 'partner', id: string, stripeCustomerId: string): Promise<void> {
    await this.ds.query(`UPDATE contracts.${kind} SET stripe_customer_id = $2 WHERE id = $1 AND stripe_customer_id IS NULL`, [id, stripeCustomerId]);
  }

  // A void decided while the invoice was being sent leaves it pending, so the void reaches Stripe.
  async markSynced(id: string, stripeInvoiceId: string | null, voided: boolean): Promise<void> {
    await this.ds.query(
      `UPDATE contracts.invoice SET stripe_invoice_id = COALESCE($2, stripe_invoice_id), stripe_synced_at = now(), stripe_last_error = NULL,
         stripe_sync_attempts = stripe_sync_attempts + 1,
         stripe_sync_status = CASE WHEN status = 'VOID' AND NOT $3 THEN 'PENDING' ELSE 'SYNCED' END,
         stripe_next_attempt_at = CASE WHEN status = 'VOID' AND NOT $3 THEN now() ELSE NULL END,
         updated_at = now()
       WHERE id = $1`,
      [id, stripeInvoiceId, voided],
    );
  }

  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE contracts.invoice SET stripe_sync_attempts = stripe_sync_attempts + 1, stripe_last_error = $3,
         stripe_next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
       WHERE id = $1 AND stripe_sync_status = 'PENDING'`,
      [id, delayMs, error.slice(0, 1000)],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE contracts.invoice SET stripe_sync_status = 'FAILED', stripe_sync_attempts = stripe_sync_attempts + 1, stripe_last_error = $2,
         stripe_next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
      [id, error.slice(0, 1000)],
    );
  }

  // ----- webhooks -----

  // true the first time an event id is seen; false for a redelivery.
  async recordEvent(em: EntityManager, eventId: string, type: string, objectId: string | null): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO contracts.stripe_event (event_id, type, object_id, outcome) VALUES ($1, $2, $3, 'received') ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [eventId, type, objectId],
    );
    return rows.length > 0;
  }

  async setOutcome(em: EntityManager, eventId: string, outcome: string): Promise<void> {
    await em.query(`UPDATE contracts.stripe_event SET outcome = $2 WHERE event_id = $1`, [eventId, outcome]);
  }

  // The Kanshi invoices a Stripe invoice may name, locked: the one holding its Stripe id and the one
  // its metadata names (the same invoice when both agree).
  async invoicesForUpdate(em: EntityManager, stripeInvoiceId: string, kanshiInvoiceId: string | null): Promise<{ byStripeId: InvoiceEntity | null; byMetadata: InvoiceEntity | null }> {
    const qb = em.getRepository(InvoiceEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.stripe_invoice_id = :sid', { sid: stripeInvoiceId });
    if (kanshiInvoiceId) qb.orWhere('i.id = :kid', { kid: kanshiInvoiceId });
    const rows = await qb.orderBy('i.id').getMany();
    return { byStripeId: rows.find((r) => r.stripeInvoiceId === stripeInvoiceId) ?? null, byMetadata: rows.find((r) => r.id === kanshiInvoiceId) ?? null };
  }

  async setStripeInvoiceId(em: EntityManager, id: string, stripeInvoiceId: string): Promise<void> {
    await em.query(`UPDATE contracts.invoice SET stripe_invoice_id = $2 WHERE id = $1 AND stripe_invoice_id IS NULL`, [id, stripeInvoiceId]);
  }

  async markPaid(em: EntityManager, id: string, paidAt: Date): Promise<void> {
    await em.query(`UPDATE contracts.invoice SET status = 'PAID', paid_at = $2, updated_at = now() WHERE id = $1`, [id, paidAt]);
  }

  async markPaymentFailed(em: EntityManager, id: string, at: Date, overdue: boolean): Promise<void> {
    await em.query(
      `UPDATE contracts.invoice SET payment_failed_at = $2, status = CASE WHEN $3 AND status = 'ISSUED' THEN 'OVERDUE' ELSE status END, updated_at = now() WHERE id = $1`,
      [id, at, overdue],
    );
  }

  // customer.updated: Stripe is where the billing e-mail can be changed (e.g. by the customer).
  async updateBillingEmail(em: EntityManager, stripeCustomerId: string, email: string): Promise<'customer' | 'partner' | null> {
    // UPDATE ... RETURNING answers [rows, count] through TypeORM.
    const [customers]: [unknown[], number] = await em.query(
      `UPDATE contracts.customer SET billing_contact = jsonb_set(COALESCE(billing_contact, jsonb_build_object('name', name)), '{email}', to_jsonb($2::text)), updated_at = now()
       WHERE stripe_customer_id = $1 RETURNING id`,
      [stripeCustomerId, email],
    );
    if (customers.length) return 'customer';
    const [partners]: [unknown[], number] = await em.query(
      `UPDATE contracts.partner SET billing_email = $2, updated_at = now() WHERE stripe_customer_id = $1 RETURNING id`,
      [stripeCustomerId, email],
    );
    return partners.length ? 'partner' : null;
  }
}
