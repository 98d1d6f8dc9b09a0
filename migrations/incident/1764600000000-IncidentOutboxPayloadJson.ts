import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV2 } from '@kanshi/database';

export class IncidentOutboxPayloadJson1764600000000 implements MigrationInterface {
  name = 'IncidentOutboxPayloadJson1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('incident').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('incident').down) await q.query(sql);
  }
}
