import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EdrProductValue } from './edr-products';

@Entity({ schema: 'endpoint_response', name: 'endpoint' })
export class EndpointEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ name: 'host_name' }) hostName: string;
  @Column({ name: 'ip_addresses', type: 'text', array: true, default: () => "'{}'" }) ipAddresses: string[];
  @Column({ name: 'os', type: 'text', nullable: true }) os: string | null;
  // Which EDR manages it and the id that EDR's API needs to contain it.
  @Column({ name: 'edr_product', type: 'text' }) edrProduct: EdrProductValue;
  @Column({ name: 'edr_agent_id', type: 'text' }) edrAgentId: string;
  @Column({ type: 'boolean', default: false }) isolated: boolean;
  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true }) lastSeenAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
