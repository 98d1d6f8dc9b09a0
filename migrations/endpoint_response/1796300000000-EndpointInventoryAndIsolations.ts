import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 12: the inventory learns endpoints from EDR syncs and alerts (an endpoint learned from an
// alert has no agent yet), keeps a version per endpoint for response.endpoint.changed.v1 and the
// EDR's containment state; isolations are a state machine with a log; MDR customers are known
// from contracts' events; AUTH failures mark a connector unhealthy for provider staff.
export class EndpointInventoryAndIsolations1796300000000 implements MigrationInterface {
  name = 'EndpointInventoryAndIsolations1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE endpoint_response.endpoint
      ALTER COLUMN edr_product DROP NOT NULL,
      ALTER COLUMN edr_agent_id DROP NOT NULL,
      ADD COLUMN source text NOT NULL DEFAULT 'MANUAL' CHECK (source IN ('MANUAL', 'EDR', 'ALERT')),
      ADD COLUMN version int NOT NULL DEFAULT 1,
      ADD COLUMN retired boolean NOT NULL DEFAULT false,
      ADD COLUMN containment text NOT NULL DEFAULT 'NORMAL' CHECK (containment IN ('NORMAL', 'CONTAINING', 'CONTAINED', 'RELEASING')),
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD CONSTRAINT endpoint_agent_with_product CHECK (edr_agent_id IS NULL OR edr_product IS NOT NULL)`);
    await q.query(`CREATE INDEX endpoint_customer_host_idx ON endpoint_response.endpoint (customer_id, lower(host_name))`);

    await q.query(`CREATE TABLE endpoint_response.isolation (
      id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      incident_id uuid NOT NULL,
      endpoint_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('REQUESTED', 'ISOLATED', 'FAILED', 'RELEASE_REQUESTED', 'RELEASED')),
      edr_product text,
      agent_id text,
      host_name text,
      reason text,
      requested_by text,
      requested_at timestamptz NOT NULL,
      action_attempts int NOT NULL DEFAULT 0,
      action_sent_at timestamptz,
      isolated_at timestamptz,
      release_requested_at timestamptz,
      release_requested_by text,
      release_attempts int NOT NULL DEFAULT 0,
      release_sent_at timestamptz,
      released_at timestamptz,
      failed_at timestamptz,
      error text,
      deadline_at timestamptz,
      -- one job at a time works an isolation: it holds this lease while it talks to the EDR
      lease_until timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX isolation_customer_idx ON endpoint_response.isolation (customer_id, requested_at DESC)`);
    await q.query(`CREATE INDEX isolation_active_endpoint_idx ON endpoint_response.isolation (endpoint_id) WHERE status IN ('REQUESTED', 'ISOLATED', 'RELEASE_REQUESTED')`);
    await q.query(`CREATE INDEX isolation_waiting_idx ON endpoint_response.isolation (deadline_at) WHERE status IN ('REQUESTED', 'RELEASE_REQUESTED')`);

    await q.query(`CREATE TABLE endpoint_response.isolation_log (
      id bigserial PRIMARY KEY,
      isolation_id uuid NOT NULL REFERENCES endpoint_response.isolation (id),
      at timestamptz NOT NULL,
      kind text NOT NULL CHECK (kind IN ('STATE', 'VENDOR', 'NOTE')),
      actor text NOT NULL,
      status text,
      text text NOT NULL,
      method text,
      path text,
      http_status int,
      duration_ms int
    )`);
    await q.query(`CREATE INDEX isolation_log_isolation_idx ON endpoint_response.isolation_log (isolation_id, id)`);

    await q.query(`CREATE TABLE endpoint_response.customer_contract (
      contract_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      plan text NOT NULL,
      status text NOT NULL,
      monitored_products text[] NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX customer_contract_customer_idx ON endpoint_response.customer_contract (customer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE endpoint_response.customer_contract`);
    await q.query(`DROP TABLE endpoint_response.isolation_log`);
    await q.query(`DROP TABLE endpoint_response.isolation`);
    await q.query(`DROP INDEX endpoint_response.endpoint_customer_host_idx`);
    await q.query(`DELETE FROM endpoint_response.endpoint WHERE edr_agent_id IS NULL`);
    await q.query(`ALTER TABLE endpoint_response.endpoint
      DROP CONSTRAINT endpoint_agent_with_product,
      DROP COLUMN updated_at, DROP COLUMN containment, DROP COLUMN retired, DROP COLUMN version, DROP COLUMN source,
      ALTER COLUMN edr_agent_id SET NOT NULL, ALTER COLUMN edr_product SET NOT NULL`);
  }
}
