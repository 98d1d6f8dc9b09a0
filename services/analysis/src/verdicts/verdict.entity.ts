import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SensorProductCode, SocSeverity, VerdictReasonKind } from '@kanshi/events';

export interface StoredReason {
  kind: VerdictReasonKind;
  text: string;
  textJa: string;
  attackTechniques: string[];
}

export interface StoredAction {
  text: string;
  textJa: string;
}

export interface StoredEndpoint {
  hostName: string | null;
  ip: string | null;
  // When endpoint-response's inventory knows the endpoint: its id there and its EDR agent id.
  endpointId?: string;
  agentId?: string;
}

// One verdict per alert (alert_id is unique): analysis' decision, and an analyst's override beside it.
@Entity({ schema: 'analysis', name: 'verdict' })
export class VerdictEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'alert_id', type: 'uuid' }) alertId: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'sensor_id', type: 'uuid' }) sensorId: string;
  @Column({ type: 'text' }) product: SensorProductCode;
  @Column({ name: 'group_id', type: 'uuid', nullable: true }) groupId: string | null;
  // The severity in force: the override's when there is one, else the automatic one.
  @Column({ type: 'text' }) severity: SocSeverity;
  @Column({ name: 'automatic_severity', type: 'text' }) automaticSeverity: SocSeverity;
  @Column({ type: 'jsonb' }) reasons: StoredReason[];
  @Column({ type: 'jsonb' }) actions: StoredAction[];
  @Column({ name: 'isolation_recommended', type: 'boolean' }) isolationRecommended: boolean;
  @Column({ type: 'jsonb' }) endpoints: StoredEndpoint[];
  @Column({ type: 'boolean', nullable: true }) blocked: boolean | null;
  @Column({ type: 'text', nullable: true }) signature: string | null;
  // ECS event.category of the alert.
  @Column({ type: 'text', array: true }) category: string[];
  @Column({ name: 'repeat_count', type: 'int' }) repeatCount: number;
  @Column({ name: 'suppressed_by', type: 'text', nullable: true }) suppressedBy: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz' }) decidedAt: Date;
  @Column({ name: 'override_severity', type: 'text', nullable: true }) overrideSeverity: SocSeverity | null;
  @Column({ name: 'override_rationale', type: 'text', nullable: true }) overrideRationale: string | null;
  @Column({ name: 'override_by', type: 'text', nullable: true }) overrideBy: string | null;
  @Column({ name: 'override_at', type: 'timestamptz', nullable: true }) overrideAt: Date | null;
}
