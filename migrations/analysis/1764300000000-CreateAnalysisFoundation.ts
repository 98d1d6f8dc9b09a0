import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV1 } from '@kanshi/database';

export class CreateAnalysisFoundation1764300000000 implements MigrationInterface {
  name = 'CreateAnalysisFoundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV1('analysis').up) await q.query(sql);
    await q.query(`CREATE TABLE analysis.detection_rule (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      description text NOT NULL DEFAULT '',
      products text[] NOT NULL DEFAULT '{}',
      severity text NOT NULL CHECK (severity IN ('HIGH', 'MEDIUM', 'LOW')),
      condition jsonb NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis.detection_rule`);
    for (const sql of messagingTablesV1('analysis').down) await q.query(sql);
  }
}
