import { MigrationInterface, QueryRunner } from 'typeorm';

// Verdicts (one per alert: redelivery never makes a second), what analysis learned about each
// customer's endpoints (host name <-> IP <-> endpoint id) and the assets a customer marked critical.
export class CreateVerdictsAndAssets1796205969001 implements MigrationInterface {
  name = 'CreateVerdictsAndAssets1796205969001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analysis.verdict (
      id uuid PRIMARY KEY,
      alert_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      sensor_id uuid NOT NULL,
      product text NOT NULL,
      group_id uuid,
      severity text NOT NULL CHECK (severity IN ('HIGH', 'MEDIUM', 'LOW')),
      automatic_severity text NOT NULL CHECK (automatic_severity IN ('HIGH', 'MEDIUM', 'LOW')),
      reasons jsonb NOT NULL DEFAULT '[]',
      actions jsonb NOT NULL DEFAULT '[]',
      isolation_recommended boolean NOT NULL DEFAULT false,
      endpoints jsonb NOT NULL DEFAULT '[]',
      blocked boolean,
      signature text,
      category text[] NOT NULL DEFAULT '{}',
      repeat_count integer NOT NULL DEFAULT 1,
      suppressed_by text,
      decided_at timestamptz NOT NULL,
      override_severity text CHECK (override_severity IN ('HIGH', 'MEDIUM', 'LOW')),
      override_rationale text,
      override_by text,
      override_at timestamptz
    )`);
    await q.query(`CREATE UNIQUE INDEX verdict_alert_id ON analysis.verdict (alert_id)`);
    await q.query(`CREATE INDEX verdict_customer_decided ON analysis.verdict (customer_id, decided_at DESC)`);

    await q.query(`CREATE TABLE analysis.asset_binding (
      customer_id uuid NOT NULL,
      host_name text NOT NULL DEFAULT '',
      ip text NOT NULL DEFAULT '',
      endpoint_id text NOT NULL DEFAULT '',
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (customer_id, host_name, ip)
    )`);
    await q.query(`CREATE INDEX asset_binding_ip ON analysis.asset_binding (customer_id, ip) WHERE ip <> ''`);

    await q.query(`CREATE TABLE analysis.critical_asset (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      host_name text,
      ip text,
      note text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (host_name IS NOT NULL OR ip IS NOT NULL)
    )`);
    await q.query(`CREATE UNIQUE INDEX critical_asset_identity ON analysis.critical_asset (customer_id, coalesce(host_name, ''), coalesce(ip, ''))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis.critical_asset`);
    await q.query(`DROP TABLE analysis.asset_binding`);
    await q.query(`DROP TABLE analysis.verdict`);
  }
}
