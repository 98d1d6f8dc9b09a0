import { MigrationInterface, QueryRunner } from 'typeorm';

// The bytes of a record exactly as the device sent them, when they are not the UTF-8 text kept in
// `raw` (a Shift_JIS, EUC-JP or ISO-2022-JP device): null otherwise, so it costs nothing for the
// usual UTF-8 traffic. Adding a nullable column without a default only touches the catalog.
export class IngestionRawBytes1764700000001 implements MigrationInterface {
  name = 'IngestionRawBytes1764700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion.raw_event ADD COLUMN raw_bytes bytea`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion.raw_event DROP COLUMN raw_bytes`);
  }
}
