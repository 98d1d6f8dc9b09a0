import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV1 } from '@kanshi/database';

export class CreateIngestionFoundation1764300000000 implements MigrationInterface {
  name = 'CreateIngestionFoundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV1('ingestion').up) await q.query(sql);
    await q.query(`CREATE TABLE ingestion.sensor (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      product text NOT NULL,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      token_rotated_at timestamptz NOT NULL,
      revoked_at timestamptz,
      allowed_source_ips text[] NOT NULL DEFAULT '{}',
      allowed_senders text[] NOT NULL DEFAULT '{}',
      heartbeat_interval_seconds int NOT NULL DEFAULT 300,
      silence_threshold_seconds int NOT NULL DEFAULT 900,
      time_zone text NOT NULL DEFAULT 'Asia/Tokyo',
      status text NOT NULL DEFAULT 'UNKNOWN' CHECK (status IN ('UP', 'DOWN', 'UNKNOWN')),
      last_seen_at timestamptz,
      first_event_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX sensor_customer_idx ON ingestion.sensor (customer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ingestion.sensor`);
    for (const sql of messagingTablesV1('ingestion').down) await q.query(sql);
  }
}
