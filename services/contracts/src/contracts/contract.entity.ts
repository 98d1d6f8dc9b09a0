import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ContactLanguageCode, ContractStatus, OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { ContractPrices } from '../pricing/contract-prices';

export interface EscalationContactValue {
  // 1 is called first.
  order: number;
  name: string;
  phone?: string;
  email?: string;
  language: ContactLanguageCode;
}

@Entity({ schema: 'contracts', name: 'contract' })
export class ContractEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'quote_id', type: 'uuid' }) quoteId: string;
  @Column({ type: 'text' }) plan: PlanCode;
  @Column({ name: 'plan_version', type: 'int' }) planVersion: number;
  @Column({ name: 'service_hours', type: 'text', nullable: true }) serviceHours: ServiceHours | null;
  @Column({ type: 'text', array: true }) options: OptionCode[];
  @Column({ name: 'endpoint_count', type: 'int', nullable: true }) endpointCount: number | null;
  // The prices it was sold at: invoices use these, never the current catalogue (grandfathering).
  @Column({ type: 'jsonb' }) prices: ContractPrices;
  @Column({ name: 'term_months', type: 'int' }) termMonths: number;
  @Column({ name: 'start_date', type: 'date' }) startDate: string;
  // Inclusive last day of service, set on termination.
  @Column({ name: 'end_date', type: 'date', nullable: true }) endDate: string | null;
  @Column({ type: 'text' }) status: ContractStatus;
  @Column({ name: 'monitored_products', type: 'text', array: true }) monitoredProducts: string[];
  @Column({ name: 'escalation_contacts', type: 'jsonb' }) escalationContacts: EscalationContactValue[];
  // The customer's prior agreement that a high-severity endpoint may be isolated before it confirms.
  @Column({ name: 'isolation_pre_approved', type: 'boolean' }) isolationPreApproved: boolean;
  @Column({ name: 'isolation_on_automatic_verdicts', type: 'boolean', default: false }) isolationOnAutomaticVerdicts: boolean;
  @Column({ name: 'log_retention_months', type: 'int' }) logRetentionMonths: number;
  @Column({ name: 'contacts_confirmed_at', type: 'timestamptz', nullable: true }) contactsConfirmedAt: Date | null;
  @Column({ name: 'contacts_confirmed_by', type: 'text', nullable: true }) contactsConfirmedBy: string | null;
  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true }) activatedAt: Date | null;
  @Column({ name: 'activated_by', type: 'text', nullable: true }) activatedBy: string | null;
  // Billing starts here: the later of the contract's start date and the day it was activated.
  @Column({ name: 'service_start_date', type: 'date', nullable: true }) serviceStartDate: string | null;
  @Column({ name: 'terminated_at', type: 'timestamptz', nullable: true }) terminatedAt: Date | null;
  @Column({ name: 'terminated_by', type: 'text', nullable: true }) terminatedBy: string | null;
  // The period whose invoice carries the initial fees; set when that invoice is built.
  @Column({ name: 'initial_fees_period', type: 'text', nullable: true }) initialFeesPeriod: string | null;
  @Column({ name: 'created_by' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

// What contracts knows of a customer's sensors, from ingestion's events.
@Entity({ schema: 'contracts', name: 'customer_sensor' })
export class CustomerSensorEntity {
  @PrimaryColumn({ name: 'sensor_id', type: 'uuid' }) sensorId: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text', nullable: true }) product: string | null;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ name: 'registered_at', type: 'timestamptz', nullable: true }) registeredAt: Date | null;
  @Column({ name: 'first_event_at', type: 'timestamptz', nullable: true }) firstEventAt: Date | null;
}
