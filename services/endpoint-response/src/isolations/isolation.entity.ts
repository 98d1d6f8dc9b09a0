import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsolationStatusValue } from '@kanshi/events';
import { EdrProductValue } from '../endpoints/edr-products';

// One isolation of one endpoint, under the id the incident service gave it (response.isolate).
@Entity({ schema: 'endpoint_response', name: 'isolation' })
export class IsolationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'incident_id', type: 'uuid' }) incidentId: string;
  @Column({ name: 'endpoint_id', type: 'uuid' }) endpointId: string;
  @Column({ type: 'text' }) status: IsolationStatusValue;
  // The endpoint as it was when the isolation was asked for (null when it was not in the inventory).
  @Column({ name: 'edr_product', type: 'text', nullable: true }) edrProduct: EdrProductValue | null;
  @Column({ name: 'agent_id', type: 'text', nullable: true }) agentId: string | null;
  @Column({ name: 'host_name', type: 'text', nullable: true }) hostName: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'requested_by', type: 'text', nullable: true }) requestedBy: string | null;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt: Date;
  // Contain attempts whose outcome was not known (a timeout): the next one asks the EDR first.
  @Column({ name: 'action_attempts', type: 'int', default: 0 }) actionAttempts: number;
  @Column({ name: 'action_sent_at', type: 'timestamptz', nullable: true }) actionSentAt: Date | null;
  @Column({ name: 'isolated_at', type: 'timestamptz', nullable: true }) isolatedAt: Date | null;
  @Column({ name: 'release_requested_at', type: 'timestamptz', nullable: true }) releaseRequestedAt: Date | null;
  @Column({ name: 'release_requested_by', type: 'text', nullable: true }) releaseRequestedBy: string | null;
  @Column({ name: 'release_attempts', type: 'int', default: 0 }) releaseAttempts: number;
  @Column({ name: 'release_sent_at', type: 'timestamptz', nullable: true }) releaseSentAt: Date | null;
  @Column({ name: 'released_at', type: 'timestamptz', nullable: true }) releasedAt: Date | null;
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true }) failedAt: Date | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  // While REQUESTED or RELEASE_REQUESTED: FAILED if the EDR has not confirmed by then.
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true }) deadlineAt: Date | null;
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true }) leaseUntil: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
