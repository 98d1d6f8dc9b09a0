import { MigrationInterface, QueryRunner } from 'typeorm';

// Isolation requests and the endpoint read model (issue 11 item 4).
export class CreateIsolationsAndEndpoints1796500000000 implements MigrationInterface {
  name = 'CreateIsolationsAndEndpoints1796500000000';

  async up(q: QueryRunner): Promise<void> {
    // endpoint-response's inventory as response.endpoint.changed.v1 tells it: the latest version per
    // endpoint (an older redelivery never overwrites a newer one).
    await q.query(`CREATE TABLE incident.endpoint (
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
    await q.query(`CREATE INDEX endpoint_customer_idx ON incident.endpoint (customer_id) WHERE NOT retired`);

    // One isolation asked for by an incident; the status mirrors endpoint-response's outcomes.
    // At most one active (not FAILED, not RELEASED) per incident and endpoint: a redelivered
    // decision finds it and asks nothing more.
    await q.query(`CREATE TABLE incident.isolation (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      incident_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      endpoint_id uuid NOT NULL,
      host_name text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'REQUESTED' CHECK (status IN ('REQUESTED', 'ISOLATED', 'FAILED', 'RELEASE_REQUESTED', 'RELEASED')),
      requested_at timestamptz NOT NULL,
      requested_by text NOT NULL,
      approved_by text,
      reason text NOT NULL DEFAULT '',
      release_asked_at timestamptz,
      release_asked_by text,
      release_confirmed_by text,
      outcome_at timestamptz,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX isolation_active_uq ON incident.isolation (incident_id, endpoint_id) WHERE status NOT IN ('FAILED', 'RELEASED')`);
    await q.query(`CREATE INDEX isolation_incident_idx ON incident.isolation (incident_id, requested_at)`);

    // The endpoints the incident's verdicts named (host name, IP, agent id), kept for a decision
    // that comes without a verdict (an analyst's confirmSeverity).
    await q.query(`CREATE TABLE incident.isolation_hint (
      incident_id uuid PRIMARY KEY,
      endpoints jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE incident.isolation_hint`);
    await q.query(`DROP TABLE incident.isolation`);
    await q.query(`DROP TABLE incident.endpoint`);
  }
}
