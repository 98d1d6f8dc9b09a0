import { MigrationInterface, QueryRunner } from 'typeorm';

// endpoint-response's inventory as analysis needs it for asset context (issue 12): the latest
// response.endpoint.changed.v1 per endpoint (by version). Alerts naming only an IP or only a host
// name resolve to an endpoint here; a retired endpoint stays (a late, older event cannot bring it
// back) but resolves nothing.
export class CreateInventoryEndpoints1796229550777 implements MigrationInterface {
  name = 'CreateInventoryEndpoints1796229550777';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analysis.inventory_endpoint (
      endpoint_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      version int NOT NULL,
      host_name text NOT NULL,
      ips text[] NOT NULL DEFAULT '{}',
      os text,
      edr_product text,
      agent_id text,
      last_seen_at timestamptz,
      isolated boolean NOT NULL DEFAULT false,
      retired boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX inventory_endpoint_host ON analysis.inventory_endpoint (customer_id, lower(host_name)) WHERE NOT retired`);
    await q.query(`CREATE INDEX inventory_endpoint_short_host ON analysis.inventory_endpoint (customer_id, split_part(lower(host_name), '.', 1)) WHERE NOT retired`);
    await q.query(`CREATE INDEX inventory_endpoint_agent ON analysis.inventory_endpoint (customer_id, agent_id) WHERE agent_id IS NOT NULL AND NOT retired`);
    await q.query(`CREATE INDEX inventory_endpoint_ips ON analysis.inventory_endpoint USING gin (ips) WHERE NOT retired`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis.inventory_endpoint`);
  }
}
