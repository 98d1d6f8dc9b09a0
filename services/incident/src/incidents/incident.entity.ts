import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IncidentKindValue, IncidentStatusValue, SocSeverity } from '@kanshi/events';

export const INCIDENT_DISPOSITIONS = ['DUPLICATE', 'FALSE_POSITIVE'] as const;
export type IncidentDispositionValue = (typeof INCIDENT_DISPOSITIONS)[number];

// One incident at one customer. `version` is bumped by every change (optimistic locking: an update
// names the version it read and fails when another wrote in between). The SLA clocks are columns:
// due, met (stopped on the clock's named event), breached; `nextDueAt` is the earliest running one.
@Entity({ schema: 'incident', name: 'incident' })
export class IncidentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text', default: 'SECURITY' }) kind: IncidentKindValue;
  @Column({ type: 'text' }) severity: SocSeverity;
  @Column({ type: 'text', default: 'NEW' }) status: IncidentStatusValue;
  @Column() title: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ name: 'opened_by', type: 'text' }) openedBy: string;
  @Column({ name: 'group_id', type: 'uuid', nullable: true }) groupId: string | null;
  @Column({ name: 'sensor_id', type: 'uuid', nullable: true }) sensorId: string | null;
  @Column({ type: 'int', default: 1 }) version: number;
  @Column({ name: 'severity_confirmed_at', type: 'timestamptz', nullable: true }) severityConfirmedAt: Date | null;
  @Column({ name: 'severity_confirmed_by', type: 'text', nullable: true }) severityConfirmedBy: string | null;
  @Column({ name: 'tier1_assignee', type: 'text', nullable: true }) tier1Assignee: string | null;
  @Column({ name: 'tier2_assignee', type: 'text', nullable: true }) tier2Assignee: string | null;
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true }) acknowledgedAt: Date | null;
  @Column({ name: 'acknowledged_by', type: 'text', nullable: true }) acknowledgedBy: string | null;
  @Column({ name: 'what_is_happening', type: 'text', nullable: true }) whatIsHappening: string | null;
  @Column({ name: 'how_dangerous', type: 'text', nullable: true }) howDangerous: string | null;
  @Column({ name: 'what_to_do', type: 'text', nullable: true }) whatToDo: string | null;
  @Column({ name: 'resolution_summary', type: 'text', nullable: true }) resolutionSummary: string | null;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ name: 'merged_into', type: 'uuid', nullable: true }) mergedInto: string | null;
  @Column({ type: 'text', nullable: true }) disposition: IncidentDispositionValue | null;
  @Column({ name: 'disposition_reason', type: 'text', nullable: true }) dispositionReason: string | null;
  @Column({ name: 'duplicate_of', type: 'uuid', nullable: true }) duplicateOf: string | null;
  @Column({ name: 'sla_plan', type: 'text', nullable: true }) slaPlan: string | null;
  @Column({ name: 'sla_service_hours', type: 'text', nullable: true }) slaServiceHours: string | null;
  @Column({ name: 'analysis_due_at', type: 'timestamptz', nullable: true }) analysisDueAt: Date | null;
  @Column({ name: 'analysis_met_at', type: 'timestamptz', nullable: true }) analysisMetAt: Date | null;
  @Column({ name: 'analysis_breached', type: 'boolean', default: false }) analysisBreached: boolean;
  @Column({ name: 'first_report_due_at', type: 'timestamptz', nullable: true }) firstReportDueAt: Date | null;
  @Column({ name: 'first_report_met_at', type: 'timestamptz', nullable: true }) firstReportMetAt: Date | null;
  @Column({ name: 'first_report_breached', type: 'boolean', default: false }) firstReportBreached: boolean;
  @Column({ name: 'detailed_report_due_at', type: 'timestamptz', nullable: true }) detailedReportDueAt: Date | null;
  @Column({ name: 'detailed_report_met_at', type: 'timestamptz', nullable: true }) detailedReportMetAt: Date | null;
  @Column({ name: 'detailed_report_breached', type: 'boolean', default: false }) detailedReportBreached: boolean;
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true }) pausedAt: Date | null;
  @Column({ name: 'pause_reason', type: 'text', nullable: true }) pauseReason: string | null;
  @Column({ name: 'next_due_at', type: 'timestamptz', nullable: true }) nextDueAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
