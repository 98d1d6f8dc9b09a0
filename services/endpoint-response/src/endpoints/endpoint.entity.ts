import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EdrProductValue } from './edr-products';
import { ContainmentValue, EndpointSourceValue } from './endpoint-states';

@Entity({ schema: 'endpoint_response', name: 'endpoint' })
export class EndpointEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'host_name' }) hostName: string;
  @Column({ name: 'ip_addresses', type: 'text', array: true, default: () => "'{}'" }) ipAddresses: string[];
  @Column({ name: 'os', type: 'text', nullable: true }) os: string | null;
  // Which EDR manages it and the id that EDR's API needs to contain it; both null for an endpoint
  // only learned from an alert (no agent known yet).
  @Column({ name: 'edr_product', type: 'text', nullable: true }) edrProduct: EdrProductValue | null;
  @Column({ name: 'edr_agent_id', type: 'text', nullable: true }) edrAgentId: string | null;
  @Column({ type: 'text', default: 'MANUAL' }) source: EndpointSourceValue;
  @Column({ type: 'boolean', default: false }) isolated: boolean;
  // The EDR's containment as Kanshi last drove or saw it (isolations of one endpoint share it).
  @Column({ type: 'text', default: 'NORMAL' }) containment: ContainmentValue;
  // When its EDR last reported the agent (syncs); null when never.
  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true }) lastSeenAt: Date | null;
  // Its agent has not been reported for MANAGED_ENDPOINT_WINDOW_DAYS: no longer managed nor billed.
  @Column({ type: 'boolean', default: false }) retired: boolean;
  // Incremented on every change published as response.endpoint.changed.v1.
  @Column({ type: 'int', default: 1 }) version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
