import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV2 } from '@kanshi/database';

export class ContractsOutboxPayloadJson1764600000000 implements MigrationInterface {
  name = 'ContractsOutboxPayloadJson1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('contracts').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('contracts').down) await q.query(sql);
  }
}
