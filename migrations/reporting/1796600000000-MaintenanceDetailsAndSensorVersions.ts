import { MigrationInterface, QueryRunner } from 'typeorm';

// What the monthly report shows of maintenance since issue 11 item 5: a window's note, a work
// order's versions or serials and outcome notes, and each sensor's product version
// (ingestion.sensor.version-changed.v1).
export class MaintenanceDetailsAndSensorVersions1796600000000 implements MigrationInterface {
  name = 'MaintenanceDetailsAndSensorVersions1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reporting.maintenance_window ADD COLUMN note text`);
    await q.query(`ALTER TABLE reporting.work_order ADD COLUMN from_version text, ADD COLUMN to_version text, ADD COLUMN old_serial text, ADD COLUMN new_serial text, ADD COLUMN notes text`);
    await q.query(`CREATE TABLE reporting.sensor_version (
      sensor_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      version text NOT NULL,
      seen_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reporting.sensor_version`);
    await q.query(`ALTER TABLE reporting.work_order DROP COLUMN from_version, DROP COLUMN to_version, DROP COLUMN old_serial, DROP COLUMN new_serial, DROP COLUMN notes`);
    await q.query(`ALTER TABLE reporting.maintenance_window DROP COLUMN note`);
  }
}
