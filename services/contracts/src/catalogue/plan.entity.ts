import { Column, Entity, PrimaryColumn } from 'typeorm';
import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';

// One row per plan and catalogue version: a price change is a new version, so quotes and
// contracts made earlier keep the prices they were made with.
@Entity({ schema: 'contracts', name: 'plan' })
export class PlanEntity {
  @PrimaryColumn({ type: 'text' }) code: PlanCode;
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column() name: string;
  @Column({ name: 'name_ja' }) nameJa: string;
  @Column({ name: 'hours_allowed', type: 'text', array: true }) hoursAllowed: ServiceHours[];
  @Column({ name: 'initial_fee', type: 'int', nullable: true }) initialFee: number | null;
  @Column({ name: 'monthly_fee', type: 'int', nullable: true }) monthlyFee: number | null;
  @Column({ name: 'per_endpoint_monthly_fee', type: 'int', nullable: true }) perEndpointMonthlyFee: number | null;
  @Column({ name: 'quote_only', type: 'boolean' }) quoteOnly: boolean;
  @Column({ name: 'liveness_included', type: 'boolean' }) livenessIncluded: boolean;
  // Options that may be added at their own price (included ones are not listed here).
  @Column({ name: 'available_options', type: 'text', array: true, default: () => "'{}'" }) availableOptions: OptionCode[];
  // 00:00 JST of the first day the version applies to.
  @Column({ name: 'effective_from', type: 'timestamptz' }) effectiveFrom: Date;
  @Column({ name: 'created_by', type: 'text', nullable: true }) createdBy: string | null;
}

@Entity({ schema: 'contracts', name: 'catalogue_option' })
export class CatalogueOptionEntity {
  @PrimaryColumn({ type: 'text' }) code: OptionCode;
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column() name: string;
  @Column({ name: 'name_ja' }) nameJa: string;
  @Column({ name: 'initial_fee', type: 'int' }) initialFee: number;
  @Column({ name: 'monthly_fee', type: 'int' }) monthlyFee: number;
  @Column({ name: 'effective_from', type: 'timestamptz' }) effectiveFrom: Date;
  @Column({ name: 'created_by', type: 'text', nullable: true }) createdBy: string | null;
}
