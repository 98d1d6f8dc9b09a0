import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV2 } from '@kanshi/database';

export class AnalysisOutboxPayloadJson1764600000000 implements MigrationInterface {
  name = 'AnalysisOutboxPayloadJson1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('analysis').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('analysis').down) await q.query(sql);
  }
}
