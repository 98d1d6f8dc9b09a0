import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface BillingContact {
  name: string;
  email: string;
  phone?: string;
}

@Entity({ schema: 'contracts', name: 'customer' })
export class CustomerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  // null: a direct customer of the provider.
  @Column({ name: 'partner_id', type: 'uuid', nullable: true }) partnerId: string | null;
  @Column() name: string;
  @Column({ name: 'name_kana', type: 'text', nullable: true }) nameKana: string | null;
  @Column({ name: 'postal_code', type: 'text', nullable: true }) postalCode: string | null;
  @Column({ type: 'text', nullable: true }) address: string | null;
  @Column({ name: 'invoice_registration_number', type: 'text', nullable: true }) invoiceRegistrationNumber: string | null;
  @Column({ name: 'billing_contact', type: 'jsonb', nullable: true }) billingContact: BillingContact | null;
  @Column({ name: 'stripe_customer_id', type: 'text', nullable: true }) stripeCustomerId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
