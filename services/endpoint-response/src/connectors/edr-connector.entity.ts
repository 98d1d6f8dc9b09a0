import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { EdrProductCode } from '@kanshi/events';
import { ConnectorHealthValue } from './connector-health';

@Entity({ schema: 'endpoint_response', name: 'edr_connector' })
export class EdrConnectorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text' }) product: EdrProductCode;
  @Column({ name: 'base_url', type: 'text' }) baseUrl: string;
  @Column({ name: 'client_id', type: 'text' }) clientId: string;
  // `v1.<key id>.<iv>.<tag>.<ciphertext>`; never leaves the service.
  @Column({ name: 'secret_ciphertext', type: 'text' }) secretCiphertext: string;
  @Column({ name: 'org_key', type: 'text', nullable: true }) orgKey: string | null;
  @Column({ name: 'sensor_id', type: 'uuid', nullable: true }) sensorId: string | null;
  @Column({ type: 'text', default: 'UNKNOWN' }) health: ConnectorHealthValue;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true }) checkedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
