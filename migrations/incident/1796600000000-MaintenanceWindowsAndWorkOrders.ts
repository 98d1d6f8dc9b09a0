import { MigrationInterface, QueryRunner } from 'typeorm';

// Maintenance windows and upgrade / replacement work orders (issue 11 item 5), and the sensors'
// product versions as ingestion learns them from their events.
export class MaintenanceWindowsAndWorkOrders1796600000000 implements MigrationInterface {
  name = 'MaintenanceWindowsAndWorkOrders1796600000000';

  async up(q: QueryRunner): Promise<void> {
    // A customer's window (sensor_id NULL: all its sensors) or one sensor's. Availability incidents
    // are not opened inside a live (not cancelled) one; each suppression is counted on it.
    await q.query(`CREATE TABLE incident.maintenance_window (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      sensor_id uuid,
      reason text NOT NULL CHECK (reason IN ('VERSION_UPGRADE', 'DEVICE_REPLACEMENT', 'OTHER')),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      note text NOT NULL DEFAULT '',
      work_order_id uuid,
      cancelled_at timestamptz,
      cancelled_by text,
      suppressed_count int NOT NULL DEFAULT 0,
      last_suppressed_at timestamptz,
      -- when the end (or the cancellation) of a window that suppressed something was checked for
      -- sensors still DOWN
      ended_checked_at timestamptz,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at)
    )`);
    await q.query(`CREATE INDEX maintenance_window_live_idx ON incident.maintenance_window (customer_id, ends_at) WHERE cancelled_at IS NULL`);
    await q.query(`CREATE INDEX maintenance_window_customer_idx ON incident.maintenance_window (customer_id, starts_at)`);
    await q.query(`CREATE INDEX maintenance_window_unchecked_idx ON incident.maintenance_window (ends_at) WHERE suppressed_count > 0 AND ended_checked_at IS NULL`);

    await q.query(`CREATE TABLE incident.work_order (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      sensor_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('VERSION_UPGRADE', 'HARDWARE_REPLACEMENT')),
      planned_start timestamptz NOT NULL,
      planned_end timestamptz NOT NULL,
      engineer text NOT NULL,
      from_version text,
      to_version text,
      old_serial text,
      new_serial text,
      note text NOT NULL DEFAULT '',
      window_id uuid,
      outcome text CHECK (outcome IN ('DONE', 'FAILED', 'CANCELLED')),
      outcome_notes text,
      completed_at timestamptz,
      outcome_by text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (planned_end > planned_start)
    )`);
    await q.query(`CREATE INDEX work_order_customer_idx ON incident.work_order (customer_id, planned_start)`);
    await q.query(`CREATE INDEX work_order_sensor_idx ON incident.work_order (sensor_id, planned_start)`);

    // ingestion.sensor.version-changed.v1: the version a sensor reports, and since when; and its
    // liveness as the last sensor.liveness-changed said (a sensor still DOWN when a window ends).
    await q.query(`ALTER TABLE incident.sensor ADD COLUMN product_version text, ADD COLUMN product_version_seen_at timestamptz, ADD COLUMN liveness text, ADD COLUMN liveness_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incident.sensor DROP COLUMN product_version, DROP COLUMN product_version_seen_at, DROP COLUMN liveness, DROP COLUMN liveness_at`);
    await q.query(`DROP TABLE incident.work_order`);
    await q.query(`DROP TABLE incident.maintenance_window`);
  }
}
