import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV2 } from '@kanshi/database';

export class EndpointResponseOutboxPayloadJson1764600000000 implements MigrationInterface {
  name = 'EndpointResponseOutboxPayloadJson1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('endpoint_response').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV2('endpoint_response').down) await q.query(sql);
  }
}
