import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV1 } from '@kanshi/database';

export class CreateEndpointResponseFoundation1764300000000 implements MigrationInterface {
  name = 'CreateEndpointResponseFoundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV1('endpoint_response').up) await q.query(sql);
    await q.query(`CREATE TABLE endpoint_response.endpoint (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      host_name text NOT NULL,
      ip_addresses text[] NOT NULL DEFAULT '{}',
      os text,
      edr_product text NOT NULL,
      edr_agent_id text NOT NULL,
      isolated boolean NOT NULL DEFAULT false,
      last_seen_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (edr_product, edr_agent_id)
    )`);
    await q.query(`CREATE INDEX endpoint_customer_idx ON endpoint_response.endpoint (customer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE endpoint_response.endpoint`);
    for (const sql of messagingTablesV1('endpoint_response').down) await q.query(sql);
  }
}
