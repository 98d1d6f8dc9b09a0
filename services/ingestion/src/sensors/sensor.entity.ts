import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SensorProductCode, SensorStatus } from '@kanshi/events';

@Entity({ schema: 'ingestion', name: 'sensor' })
export class SensorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'customer_id', type: 'uuid' }) customerId: string;
  @Column({ type: 'text' }) product: SensorProductCode;
  @Column() name: string;
  // The ingest token is shown once; only its SHA-256 is kept.
  @Column({ name: 'token_hash', type: 'text' }) tokenHash: string;
  @Column({ name: 'token_rotated_at', type: 'timestamptz' }) tokenRotatedAt: Date;
  // After a rotation with a grace period, the previous token works until then.
  @Column({ name: 'previous_token_hash', type: 'text', nullable: true }) previousTokenHash: string | null;
  @Column({ name: 'previous_token_valid_until', type: 'timestamptz', nullable: true }) previousTokenValidUntil: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'allowed_source_ips', type: 'text', array: true, default: () => "'{}'" }) allowedSourceIps: string[];
  @Column({ name: 'allowed_senders', type: 'text', array: true, default: () => "'{}'" }) allowedSenders: string[];
  @Column({ name: 'heartbeat_interval_seconds', type: 'int', default: 300 }) heartbeatIntervalSeconds: number;
  @Column({ name: 'silence_threshold_seconds', type: 'int', default: 900 }) silenceThresholdSeconds: number;
  @Column({ name: 'time_zone', type: 'text', default: 'Asia/Tokyo' }) timeZone: string;
  // SHA-256 fingerprints (AA:BB:... upper case) of the TLS client certificates that identify it
  @Column({ name: 'client_cert_fingerprints', type: 'text', array: true, default: () => "'{}'" }) clientCertFingerprints: string[];
  @Column({ name: 'accept_udp', type: 'boolean', default: true }) acceptUdp: boolean;
  @Column({ type: 'text', default: 'UNKNOWN' }) status: SensorStatus;
  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true }) statusChangedAt: Date | null;
  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true }) lastSeenAt: Date | null;
  @Column({ name: 'first_event_at', type: 'timestamptz', nullable: true }) firstEventAt: Date | null;
  // The product version its events report (ECS observer.version), and when it was first seen.
  @Column({ name: 'product_version', type: 'text', nullable: true }) productVersion: string | null;
  @Column({ name: 'product_version_seen_at', type: 'timestamptz', nullable: true }) productVersionSeenAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
