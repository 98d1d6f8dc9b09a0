import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ schema: 'contracts', name: 'partner' })
export class PartnerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column({ name: 'name_kana', type: 'text', nullable: true }) nameKana: string | null;
  // Partner pricing: a discount in basis points off the catalogue (1000 = 10%), or wholesale prices per plan.
  @Column({ name: 'discount_bps', type: 'int', default: 0 }) discountBps: number;
  @Column({ name: 'wholesale_prices', type: 'jsonb', default: () => "'{}'::jsonb" }) wholesalePrices: Record<string, { initialFee?: number; monthlyFee?: number; perEndpointMonthlyFee?: number }>;
  @Column({ name: 'invoice_registration_number', type: 'text', nullable: true }) invoiceRegistrationNumber: string | null;
  @Column({ name: 'billing_email', type: 'text', nullable: true }) billingEmail: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
