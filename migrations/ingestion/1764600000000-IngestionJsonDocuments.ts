import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV2 } from '@kanshi/database';

export class IngestionJsonDocuments1764600000000 implements MigrationInterface {
  name = 'IngestionJsonDocuments1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('ingestion').up) await q.query(sql);
    // Alerts keep their ECS document as written (json): nothing queries inside it (the fields
    // searched on have columns of their own), and jsonb cost PostgreSQL a parse per alert.
    await q.query(`ALTER TABLE ingestion.alert ALTER COLUMN ecs TYPE json USING ecs::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion.alert ALTER COLUMN ecs TYPE jsonb USING ecs::jsonb`);
    for (const sql of messagingTablesV2('ingestion').down) await q.query(sql);
  }
}
