import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV1 } from '@kanshi/database';

export class CreateReportingFoundation1764300000000 implements MigrationInterface {
  name = 'CreateReportingFoundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV1('reporting').up) await q.query(sql);
    await q.query(`CREATE TABLE reporting.report (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('ANALYSIS', 'MONTHLY', 'QUOTE', 'INVOICE')),
      title text NOT NULL,
      language text NOT NULL DEFAULT 'ja' CHECK (language IN ('ja', 'en')),
      subject_ref text,
      sha256 text,
      size_bytes int,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX report_customer_created_idx ON reporting.report (customer_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reporting.report`);
    for (const sql of messagingTablesV1('reporting').down) await q.query(sql);
  }
}
