import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV1 } from '@kanshi/database';

export class CreateContractsFoundation1764300000000 implements MigrationInterface {
  name = 'CreateContractsFoundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV1('contracts').up) await q.query(sql);
    await q.query(`CREATE TABLE contracts.partner (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      name_kana text,
      discount_bps int NOT NULL DEFAULT 0 CHECK (discount_bps BETWEEN 0 AND 10000),
      wholesale_prices jsonb NOT NULL DEFAULT '{}'::jsonb,
      invoice_registration_number text,
      billing_email text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE contracts.customer (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      partner_id uuid REFERENCES contracts.partner(id),
      name text NOT NULL,
      name_kana text,
      postal_code text,
      address text,
      invoice_registration_number text,
      billing_contact jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX customer_partner_idx ON contracts.customer (partner_id)`);
    await q.query(`CREATE TABLE contracts.plan (
      code text NOT NULL,
      version int NOT NULL,
      name text NOT NULL,
      name_ja text NOT NULL,
      hours_allowed text[] NOT NULL,
      initial_fee int CHECK (initial_fee >= 0),
      monthly_fee int CHECK (monthly_fee >= 0),
      per_endpoint_monthly_fee int CHECK (per_endpoint_monthly_fee >= 0),
      quote_only boolean NOT NULL,
      liveness_included boolean NOT NULL,
      effective_from timestamptz NOT NULL,
      PRIMARY KEY (code, version)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contracts.plan`);
    await q.query(`DROP TABLE contracts.customer`);
    await q.query(`DROP TABLE contracts.partner`);
    for (const sql of messagingTablesV1('contracts').down) await q.query(sql);
  }
}
