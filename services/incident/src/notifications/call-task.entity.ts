import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ContactLanguageCode, SocSeverity } from '@kanshi/events';
import { CallTaskReasonValue, CallTaskStatusValue } from './notification-kinds';

export interface CallContact {
  name: string;
  phone: string | null;
  email: string | null;
  language: ContactLanguageCode;
}

// One line of a call task's log: a call placed, an outcome recorded, a step to the next contact.
export interface CallLogEntry {
  at: string;
  contactIndex: number;
  contactName: string;
  // OPERATOR: recorded by the operator; VOICE: the automated call; SYSTEM: the escalation timer.
  via: 'OPERATOR' | 'VOICE' | 'SYSTEM';
  outcome: string;
  reachedWhom: string | null;
  note: string | null;
  actor: string;
}

@Entity({ schema: 'incident', name: 'call_task' })
export class CallTaskEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'notification_id', type: 'uuid' }) notificationId: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text' }) severity: SocSeverity;
  @Column({ type: 'text' }) reason: CallTaskReasonValue;
  @Column({ type: 'text' }) status: CallTaskStatusValue;
  @Column({ type: 'text', nullable: true }) assignee: string | null;
  @Column({ type: 'jsonb' }) contacts: CallContact[];
  @Column({ name: 'current_index', type: 'int' }) currentIndex: number;
  @Column({ type: 'int' }) rounds: number;
  @Column({ name: 'next_step_at', type: 'timestamptz' }) nextStepAt: Date;
  @Column({ name: 'script_ja', type: 'text' }) scriptJa: string;
  @Column({ name: 'script_en', type: 'text' }) scriptEn: string;
  @Column({ type: 'jsonb' }) log: CallLogEntry[];
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
