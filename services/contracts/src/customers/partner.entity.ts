import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintNumber } from '../common/bigint.transformer';
import { PartnerPricing } from '../pricing/contract-prices';

export type WholesalePrices = Record<string, { initialFee?: number; monthlyFee?: number; perEndpointMonthlyFee?: number }>;

@Entity({ schema: 'contracts', name: 'partner' })
export class PartnerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column({ name: 'name_kana', type: 'text', nullable: true }) nameKana: string | null;
  // Partner pricing: a discount in basis points off the catalogue (1000 = 10%), or wholesale prices per plan.
  @Column({ name: 'discount_bps', type: 'int', default: 0 }) discountBps: number;
  // What a partner may put in its own quotes without provider approval: a discount up to this many
  // basis points of the quote, and custom lines up to this many yen in all (none by default).
  @Column({ name: 'quote_discount_limit_bps', type: 'int', default: 0 }) quoteDiscountLimitBps: number;
  @Column({ name: 'quote_custom_lines_limit', type: 'bigint', default: 0, transformer: bigintNumber }) quoteCustomLinesLimit: number;
  @Column({ name: 'wholesale_prices', type: 'jsonb', default: () => "'{}'::jsonb" }) wholesalePrices: WholesalePrices;
  @Column({ name: 'invoice_registration_number', type: 'text', nullable: true }) invoiceRegistrationNumber: string | null;
  @Column({ name: 'billing_email', type: 'text', nullable: true }) billingEmail: string | null;
  @Column({ name: 'postal_code', type: 'text', nullable: true }) postalCode: string | null;
  @Column({ type: 'text', nullable: true }) address: string | null;
  @Column({ name: 'stripe_customer_id', type: 'text', nullable: true }) stripeCustomerId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

// The partner's terms as the pricing code reads them: wholesale prices when any are set, else
// the discount, else none (catalogue prices).
export function partnerPricingOf(partner: Pick<PartnerEntity, 'discountBps' | 'wholesalePrices'> | null | undefined): PartnerPricing | null {
  if (!partner) return null;
  if (partner.wholesalePrices && Object.keys(partner.wholesalePrices).length > 0) return { kind: 'wholesale', plans: partner.wholesalePrices };
  if (partner.discountBps > 0) return { kind: 'discount', basisPoints: partner.discountBps };
  return null;
}
