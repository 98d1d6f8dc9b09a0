import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV2 } from '@kanshi/database';

export class ReportingOutboxPayloadJson1764600000000 implements MigrationInterface {
  name = 'ReportingOutboxPayloadJson1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('reporting').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('reporting').down) await q.query(sql);
  }
}
