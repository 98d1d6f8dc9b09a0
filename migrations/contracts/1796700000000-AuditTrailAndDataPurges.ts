import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 15 item 15. The audit trail of provider staff and partners reading or changing customers'
// data (from every service's audit.data-access.recorded.v1), the purges contracts asked for when a
// contract's retention ended, and what each service deleted for them.
export class AuditTrailAndDataPurges1796700000000 implements MigrationInterface {
  name = 'AuditTrailAndDataPurges1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE contracts.audit_entry (
      id uuid PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_id text NOT NULL,
      actor_role text NOT NULL,
      actor_partner_id uuid,
      service text NOT NULL,
      operation_type text NOT NULL CHECK (operation_type IN ('query', 'mutation')),
      operation_name text,
      fields jsonb NOT NULL,
      field_paths text[] NOT NULL,
      customer_ids uuid[] NOT NULL,
      client_ip text,
      correlation_id text,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX audit_entry_at_idx ON contracts.audit_entry (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_entry_customers_idx ON contracts.audit_entry USING gin (customer_ids)`);
    // One row per contract whose purge was asked for: the job asks once.
    await q.query(`CREATE TABLE contracts.data_purge_request (
      contract_id uuid PRIMARY KEY REFERENCES contracts.contract(id),
      customer_id uuid NOT NULL,
      event_id uuid NOT NULL UNIQUE,
      contract_ended_at timestamptz NOT NULL,
      retention_months int NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now()
    )`);
    // What each service deleted for one purge, once (a redelivered report is ignored).
    await q.query(`CREATE TABLE contracts.data_purge (
      purge_event_id uuid NOT NULL,
      service text NOT NULL,
      customer_id uuid NOT NULL,
      tables jsonb NOT NULL,
      total_rows bigint NOT NULL,
      purged_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (purge_event_id, service)
    )`);
    await q.query(`CREATE INDEX data_purge_customer_idx ON contracts.data_purge (customer_id, purged_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contracts.data_purge`);
    await q.query(`DROP TABLE contracts.data_purge_request`);
    await q.query(`DROP TABLE contracts.audit_entry`);
  }
}
