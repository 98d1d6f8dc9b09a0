import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { enumOf } from '@kanshi/events';
import { bigintNumber } from '../common/bigint.transformer';
import { TaxByRate } from '../pricing/tax';

export const INVOICE_STATUSES = ['DRAFT', 'ISSUED', 'PAID', 'OVERDUE', 'VOID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const InvoiceStatus = enumOf(INVOICE_STATUSES);
// NONE: nothing to send (a draft, or voided before it reached Stripe); PENDING: waiting for the
// sync loop (new, retrying, or a void to pass on); SYNCED: Stripe agrees; FAILED: Stripe refused.
export const STRIPE_SYNC_STATUSES = ['NONE', 'PENDING', 'SYNCED', 'FAILED'] as const;
export type StripeSyncStatus = (typeof STRIPE_SYNC_STATUSES)[number];
export const StripeSyncStatus = enumOf(STRIPE_SYNC_STATUSES);

// A Japanese qualified invoice (適格請求書): issuer and registration number, transaction date,
// lines, totals and tax per rate, recipient. Rows are written in bulk by the billing run.
@Entity({ schema: 'contracts', name: 'invoice' })
export class InvoiceEntity {
  @PrimaryColumn('uuid') id: string;
  // Assigned on issue: drafts have none, so numbers never have gaps.
  @Column({ type: 'text', nullable: true }) number: string | null;
  @Column() period: string;
  @Column({ name: 'recipient_kind', type: 'text' }) recipientKind: 'customer' | 'partner';
  @Column({ name: 'recipient_id', type: 'uuid' }) recipientId: string;
  @Column({ name: 'customer_id', type: 'uuid', nullable: true }) customerId: string | null;
  @Column({ name: 'partner_id', type: 'uuid', nullable: true }) partnerId: string | null;
  @Column({ name: 'recipient_name' }) recipientName: string;
  @Column({ name: 'customer_ids', type: 'uuid', array: true }) customerIds: string[];
  @Column({ name: 'issuer_name' }) issuerName: string;
  @Column({ name: 'issuer_registration_number' }) issuerRegistrationNumber: string;
  // The closing date (月末締め): the transaction date of the qualified invoice.
  @Column({ name: 'transaction_date', type: 'date' }) transactionDate: string;
  @Column({ name: 'due_date', type: 'date' }) dueDate: string;
  @Column({ type: 'bigint', transformer: bigintNumber }) subtotal: number;
  @Column({ type: 'bigint', transformer: bigintNumber }) tax: number;
  @Column({ type: 'bigint', transformer: bigintNumber }) total: number;
  @Column({ name: 'tax_by_rate', type: 'jsonb' }) taxByRate: TaxByRate[];
  @Column({ name: 'tax_rounding', type: 'text' }) taxRounding: string;
  @Column({ name: 'customer_subtotals', type: 'jsonb' }) customerSubtotals: { customerId: string; name: string; subtotal: number }[];
  @Column({ type: 'text' }) status: InvoiceStatus;
  @Column({ name: 'billing_run_id', type: 'uuid', nullable: true }) billingRunId: string | null;
  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true }) issuedAt: Date | null;
  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true }) paidAt: Date | null;
  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true }) voidedAt: Date | null;
  @Column({ name: 'payment_failed_at', type: 'timestamptz', nullable: true }) paymentFailedAt: Date | null;
  @Column({ name: 'stripe_sync_status', type: 'text' }) stripeSyncStatus: StripeSyncStatus;
  @Column({ name: 'stripe_invoice_id', type: 'text', nullable: true }) stripeInvoiceId: string | null;
  @Column({ name: 'stripe_sync_attempts', type: 'int' }) stripeSyncAttempts: number;
  @Column({ name: 'stripe_next_attempt_at', type: 'timestamptz', nullable: true }) stripeNextAttemptAt: Date | null;
  @Column({ name: 'stripe_last_error', type: 'text', nullable: true }) stripeLastError: string | null;
  @Column({ name: 'stripe_synced_at', type: 'timestamptz', nullable: true }) stripeSyncedAt: Date | null;
  @Column({ name: 'pdf_report_id', type: 'uuid', nullable: true }) pdfReportId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ schema: 'contracts', name: 'invoice_line' })
export class InvoiceLineEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'invoice_id', type: 'uuid' }) invoiceId: string;
  @Column({ type: 'int' }) position: number;
  // Unique among live lines: the same charge can never be billed twice.
  @Column({ name: 'line_key' }) lineKey: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'contract_id', type: 'uuid', nullable: true }) contractId: string | null;
  @Column() code: string;
  @Column() description: string;
  @Column({ name: 'description_ja' }) descriptionJa: string;
  @Column({ type: 'bigint', transformer: bigintNumber }) quantity: number;
  @Column({ name: 'unit_price', type: 'bigint', transformer: bigintNumber }) unitPrice: number;
  @Column({ type: 'bigint', transformer: bigintNumber }) amount: number;
  @Column({ name: 'tax_rate', type: 'int' }) taxRate: number;
  @Column() recurring: string;
  @Column({ name: 'service_from', type: 'date', nullable: true }) serviceFrom: string | null;
  @Column({ name: 'service_to', type: 'date', nullable: true }) serviceTo: string | null;
  @Column({ type: 'jsonb', nullable: true }) proration: { billableDays: number; daysInPeriod: number; fullAmount: number } | null;
  @Column({ type: 'boolean' }) superseded: boolean;
}

@Entity({ schema: 'contracts', name: 'billing_run' })
export class BillingRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() period: string;
  @Column({ type: 'boolean' }) draft: boolean;
  @Column({ name: 'started_by' }) startedBy: string;
  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' }) startedAt: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'invoices_created', type: 'int' }) invoicesCreated: number;
  @Column({ name: 'invoices_existing', type: 'int' }) invoicesExisting: number;
}
