import { MigrationInterface, QueryRunner } from 'typeorm';

// The product version each sensor reports in its events (ECS observer.version), and since when
// (issue 11 item 5: the monitoring plans' version upgrades). Written only when it changes.
export class SensorProductVersion1796600000000 implements MigrationInterface {
  name = 'SensorProductVersion1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion.sensor ADD COLUMN product_version text, ADD COLUMN product_version_seen_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion.sensor DROP COLUMN product_version, DROP COLUMN product_version_seen_at`);
  }
}
