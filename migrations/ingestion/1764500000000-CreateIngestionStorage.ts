import { MigrationInterface, QueryRunner } from 'typeorm';

// Storage of what sensors send: raw events (partitioned by retention class, then by month, so
// retention drops whole partitions), normalized alerts (one row per sensor and vendor event id,
// repeats counted), the quarantine, and the contract read model that decides who may register
// sensors, who gets liveness monitoring and how long logs are kept.
export class CreateIngestionStorage1764500000000 implements MigrationInterface {
  name = 'CreateIngestionStorage1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ingestion.customer_contract (
      contract_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      plan text NOT NULL,
      options text[] NOT NULL DEFAULT '{}',
      liveness_monitoring boolean NOT NULL,
      log_retention_months int NOT NULL CHECK (log_retention_months BETWEEN 1 AND 120),
      status text NOT NULL CHECK (status IN ('pending_onboarding', 'active', 'terminated')),
      start_date timestamptz NOT NULL,
      end_date timestamptz,
      -- occurredAt of the last event applied: an older event arriving late changes nothing
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX customer_contract_customer_idx ON ingestion.customer_contract (customer_id)`);

    // Rotation may keep the previous token valid for a grace period while devices are reconfigured.
    await q.query(`ALTER TABLE ingestion.sensor
      ADD COLUMN previous_token_hash text,
      ADD COLUMN previous_token_valid_until timestamptz,
      ADD COLUMN status_changed_at timestamptz`);
    await q.query(`CREATE INDEX sensor_allowed_source_ips_idx ON ingestion.sensor USING gin (allowed_source_ips) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX sensor_allowed_senders_idx ON ingestion.sensor USING gin (allowed_senders) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX sensor_liveness_idx ON ingestion.sensor (last_seen_at) WHERE status = 'UP' AND revoked_at IS NULL`);

    // Partitions (raw_event_r<months> by retention class, raw_event_r<months>_<yyyymm> by UTC
    // month of received_at) are created ahead by the service, and dropped by its retention job.
    await q.query(`CREATE SEQUENCE ingestion.raw_event_id_seq AS bigint CACHE 100`);
    await q.query(`CREATE TABLE ingestion.raw_event (
      id bigint NOT NULL DEFAULT nextval('ingestion.raw_event_id_seq'),
      received_at timestamptz NOT NULL,
      retention_months smallint NOT NULL,
      occurred_at timestamptz NOT NULL,
      customer_id uuid NOT NULL,
      sensor_id uuid NOT NULL,
      product text NOT NULL,
      transport text NOT NULL,
      kind text NOT NULL,
      severity smallint NOT NULL,
      raw text NOT NULL
    ) PARTITION BY LIST (retention_months)`);
    await q.query(`ALTER SEQUENCE ingestion.raw_event_id_seq OWNED BY ingestion.raw_event.id`);
    await q.query(`CREATE INDEX raw_event_customer_received_idx ON ingestion.raw_event (customer_id, received_at)`);
    await q.query(`CREATE INDEX raw_event_received_brin ON ingestion.raw_event USING brin (received_at)`);

    await q.query(`CREATE TABLE ingestion.alert (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      sensor_id uuid NOT NULL REFERENCES ingestion.sensor (id),
      customer_id uuid NOT NULL,
      product text NOT NULL,
      vendor_event_id text NOT NULL,
      received_at timestamptz NOT NULL,
      last_received_at timestamptz NOT NULL,
      occurred_at timestamptz NOT NULL,
      rule_name text,
      vendor_severity text,
      severity smallint NOT NULL,
      blocked boolean,
      group_key text,
      host_name text,
      host_ip text,
      source_ip text,
      destination_ip text,
      user_name text,
      file_name text,
      file_hash text,
      ecs jsonb NOT NULL,
      raw text NOT NULL,
      repeat_count int NOT NULL DEFAULT 1,
      CONSTRAINT alert_sensor_vendor_event_key UNIQUE (sensor_id, vendor_event_id)
    )`);
    await q.query(`CREATE INDEX alert_received_idx ON ingestion.alert (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX alert_customer_received_idx ON ingestion.alert (customer_id, received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX alert_sensor_received_idx ON ingestion.alert (sensor_id, received_at DESC, id DESC)`);

    await q.query(`CREATE TABLE ingestion.quarantine (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      received_at timestamptz NOT NULL,
      -- null when the source could not be attributed to a sensor (unknown address)
      sensor_id uuid REFERENCES ingestion.sensor (id),
      customer_id uuid,
      product text,
      transport text NOT NULL,
      remote_address text,
      reason text NOT NULL,
      raw bytea NOT NULL,
      status text NOT NULL DEFAULT 'QUARANTINED' CHECK (status IN ('QUARANTINED', 'REPLAYED')),
      replay_attempts int NOT NULL DEFAULT 0,
      last_replayed_at timestamptz,
      replayed_event_count int
    )`);
    await q.query(`CREATE INDEX quarantine_received_idx ON ingestion.quarantine (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX quarantine_sensor_received_idx ON ingestion.quarantine (sensor_id, received_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ingestion.quarantine`);
    await q.query(`DROP TABLE ingestion.alert`);
    await q.query(`DROP TABLE ingestion.raw_event`);
    await q.query(`DROP INDEX ingestion.sensor_liveness_idx`);
    await q.query(`DROP INDEX ingestion.sensor_allowed_senders_idx`);
    await q.query(`DROP INDEX ingestion.sensor_allowed_source_ips_idx`);
    await q.query(`ALTER TABLE ingestion.sensor DROP COLUMN status_changed_at, DROP COLUMN previous_token_valid_until, DROP COLUMN previous_token_hash`);
    await q.query(`DROP TABLE ingestion.customer_contract`);
  }
}
