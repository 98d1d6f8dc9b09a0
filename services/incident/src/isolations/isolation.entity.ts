import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IsolationStatusValue } from '@kanshi/events';

// One isolation an incident asked endpoint-response for. `status` mirrors endpoint-response's
// outcomes (REQUESTED until it answers); at most one active (not FAILED, not RELEASED) per incident
// and endpoint.
@Entity({ schema: 'incident', name: 'isolation' })
export class IsolationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'endpoint_id', type: 'uuid' }) endpointId: string;
  @Column({ name: 'host_name', type: 'text', default: '' }) hostName: string;
  @Column({ type: 'text', default: 'REQUESTED' }) status: IsolationStatusValue;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt: Date;
  @Column({ name: 'requested_by', type: 'text' }) requestedBy: string;
  @Column({ name: 'approved_by', type: 'text', nullable: true }) approvedBy: string | null;
  @Column({ type: 'text', default: '' }) reason: string;
  @Column({ name: 'release_asked_at', type: 'timestamptz', nullable: true }) releaseAskedAt: Date | null;
  @Column({ name: 'release_asked_by', type: 'text', nullable: true }) releaseAskedBy: string | null;
  @Column({ name: 'release_confirmed_by', type: 'text', nullable: true }) releaseConfirmedBy: string | null;
  @Column({ name: 'outcome_at', type: 'timestamptz', nullable: true }) outcomeAt: Date | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
