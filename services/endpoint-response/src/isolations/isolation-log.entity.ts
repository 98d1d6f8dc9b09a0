import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IsolationStatusValue } from '@kanshi/events';
import { IsolationLogKindValue } from './isolation-log-kinds';

// One line of an isolation's log: a state change, an exchange with the EDR (no secrets), a note.
@Entity({ schema: 'endpoint_response', name: 'isolation_log' })
export class IsolationLogEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column({ name: 'isolation_id', type: 'uuid' }) isolationId: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ type: 'text' }) kind: IsolationLogKindValue;
  @Column({ type: 'text' }) actor: string;
  @Column({ type: 'text', nullable: true }) status: IsolationStatusValue | null;
  @Column({ type: 'text' }) text: string;
  @Column({ type: 'text', nullable: true }) method: string | null;
  @Column({ type: 'text', nullable: true }) path: string | null;
  @Column({ name: 'http_status', type: 'int', nullable: true }) httpStatus: number | null;
  @Column({ name: 'duration_ms', type: 'int', nullable: true }) durationMs: number | null;
}
