import { MigrationInterface, QueryRunner } from 'typeorm';

// An alert is one detection: it is unique per (sensor, alert key), the identity its parser gives
// (parsers/alert-identity.ts), no longer per vendor event id (a FortiGate device, log id and
// second named every IPS event of that second). The vendor's id stays, for analysts to search.
export class IngestionAlertKey1764800000000 implements MigrationInterface {
  name = 'IngestionAlertKey1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion.alert ADD COLUMN alert_key text`);
    await q.query(`UPDATE ingestion.alert SET alert_key = vendor_event_id`);
    await q.query(`ALTER TABLE ingestion.alert ALTER COLUMN alert_key SET NOT NULL`);
    await q.query(`ALTER TABLE ingestion.alert DROP CONSTRAINT alert_sensor_vendor_event_key`);
    await q.query(`ALTER TABLE ingestion.alert ADD CONSTRAINT alert_sensor_alert_key UNIQUE (sensor_id, alert_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion.alert DROP CONSTRAINT alert_sensor_alert_key`);
    await q.query(`ALTER TABLE ingestion.alert ADD CONSTRAINT alert_sensor_vendor_event_key UNIQUE (sensor_id, vendor_event_id)`);
    await q.query(`ALTER TABLE ingestion.alert DROP COLUMN alert_key`);
  }
}
