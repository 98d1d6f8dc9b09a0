import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { enumOf, OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { bigintNumber } from '../common/bigint.transformer';
import { ContractPrices, PartnerPricing } from '../pricing/contract-prices';
import { QuoteCustomLineInput, QuoteDiscount, QuoteLine } from '../pricing/quote-calculator';
import { TaxByRate } from '../pricing/tax';

// A quote's status as callers see it. EXPIRED is never stored: a draft or sent quote past its
// validity reads as expired.
export const QUOTE_STATUSES = ['DRAFT', 'SENT', 'ACCEPTED', 'EXPIRED', 'WITHDRAWN'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export const QuoteStatus = enumOf(QUOTE_STATUSES);
export type StoredQuoteStatus = Exclude<QuoteStatus, 'EXPIRED'>;

// A quote keeps what it was computed from and the result, so it reads the same forever and the
// contract made from it inherits exactly the prices shown.
@Entity({ schema: 'contracts', name: 'quote' })
export class QuoteEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() number: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text' }) plan: PlanCode;
  @Column({ name: 'plan_version', type: 'int' }) planVersion: number;
  @Column({ name: 'service_hours', type: 'text', nullable: true }) serviceHours: ServiceHours | null;
  @Column({ type: 'text', array: true }) options: OptionCode[];
  @Column({ name: 'endpoint_count', type: 'int', nullable: true }) endpointCount: number | null;
  @Column({ name: 'term_months', type: 'int' }) termMonths: number;
  @Column({ name: 'start_date', type: 'date' }) startDate: string;
  @Column({ name: 'quote_date', type: 'date' }) quoteDate: string;
  @Column({ name: 'valid_until', type: 'date' }) validUntil: string;
  @Column({ name: 'custom_lines', type: 'jsonb' }) customLines: QuoteCustomLineInput[];
  @Column({ type: 'jsonb', nullable: true }) discount: QuoteDiscount | null;
  @Column({ type: 'jsonb' }) lines: QuoteLine[];
  @Column({ type: 'bigint', transformer: bigintNumber }) subtotal: number;
  @Column({ type: 'bigint', transformer: bigintNumber }) tax: number;
  @Column({ type: 'bigint', transformer: bigintNumber }) total: number;
  @Column({ name: 'tax_by_rate', type: 'jsonb' }) taxByRate: TaxByRate[];
  @Column({ name: 'one_time_total', type: 'bigint', transformer: bigintNumber }) oneTimeTotal: number;
  @Column({ name: 'monthly_total', type: 'bigint', transformer: bigintNumber }) monthlyTotal: number;
  @Column({ name: 'contract_prices', type: 'jsonb' }) contractPrices: ContractPrices;
  @Column({ name: 'partner_pricing', type: 'jsonb', nullable: true }) partnerPricing: PartnerPricing | null;
  @Column({ type: 'text' }) status: StoredQuoteStatus;
  @Column({ name: 'pdf_report_id', type: 'uuid', nullable: true }) pdfReportId: string | null;
  @Column({ name: 'created_by' }) createdBy: string;
  // Why a partner's quote waits for provider approval before it can be sent (empty: it does not).
  @Column({ name: 'approval_reasons', type: 'text', array: true, default: () => "'{}'" }) approvalReasons: string[];
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true }) approvedAt: Date | null;
  @Column({ name: 'approved_by', type: 'text', nullable: true }) approvedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true }) acceptedAt: Date | null;
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
