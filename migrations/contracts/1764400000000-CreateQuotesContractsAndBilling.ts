import { MigrationInterface, QueryRunner } from 'typeorm';

// Quotes, contracts with their onboarding and terms acceptances, the option catalogue, billing
// (runs, invoices, lines, counters), the read models fed by other services' events, and Stripe.
export class CreateQuotesContractsAndBilling1764400000000 implements MigrationInterface {
  name = 'CreateQuotesContractsAndBilling1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contracts.partner
      ADD COLUMN postal_code text,
      ADD COLUMN address text,
      ADD COLUMN stripe_customer_id text UNIQUE,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE contracts.customer ADD COLUMN stripe_customer_id text UNIQUE`);
    await q.query(`ALTER TABLE contracts.plan
      ADD COLUMN available_options text[] NOT NULL DEFAULT '{}',
      ADD COLUMN created_by text,
      ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()`);

    await q.query(`CREATE TABLE contracts.catalogue_option (
      code text NOT NULL,
      version int NOT NULL CHECK (version >= 1),
      name text NOT NULL,
      name_ja text NOT NULL,
      initial_fee int NOT NULL CHECK (initial_fee >= 0),
      monthly_fee int NOT NULL CHECK (monthly_fee >= 0),
      effective_from timestamptz NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (code, version)
    )`);

    await q.query(`CREATE TABLE contracts.terms_version (
      version text PRIMARY KEY,
      effective_date date NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      published_by text,
      published_at timestamptz NOT NULL DEFAULT now()
    )`);

    // One row per number series (prefix) and year; the row lock serialises numbering.
    await q.query(`CREATE TABLE contracts.document_counter (
      prefix text NOT NULL,
      year int NOT NULL,
      last_value int NOT NULL CHECK (last_value >= 0),
      PRIMARY KEY (prefix, year)
    )`);

    await q.query(`CREATE TABLE contracts.quote (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number text NOT NULL UNIQUE,
      customer_id uuid NOT NULL REFERENCES contracts.customer(id),
      plan text NOT NULL,
      plan_version int NOT NULL,
      service_hours text,
      options text[] NOT NULL DEFAULT '{}',
      endpoint_count int CHECK (endpoint_count >= 1),
      term_months int NOT NULL CHECK (term_months >= 1),
      start_date date NOT NULL,
      quote_date date NOT NULL,
      valid_until date NOT NULL CHECK (valid_until >= quote_date),
      custom_lines jsonb NOT NULL DEFAULT '[]'::jsonb,
      discount jsonb,
      lines jsonb NOT NULL,
      subtotal bigint NOT NULL,
      tax bigint NOT NULL,
      total bigint NOT NULL,
      tax_by_rate jsonb NOT NULL,
      one_time_total bigint NOT NULL,
      monthly_total bigint NOT NULL,
      contract_prices jsonb NOT NULL,
      partner_pricing jsonb,
      status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SENT', 'ACCEPTED', 'WITHDRAWN')),
      pdf_report_id uuid,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      accepted_at timestamptz,
      withdrawn_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX quote_customer_idx ON contracts.quote (customer_id, created_at DESC)`);

    await q.query(`CREATE TABLE contracts.contract (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL REFERENCES contracts.customer(id),
      quote_id uuid NOT NULL UNIQUE REFERENCES contracts.quote(id),
      plan text NOT NULL,
      plan_version int NOT NULL,
      service_hours text,
      options text[] NOT NULL DEFAULT '{}',
      endpoint_count int,
      prices jsonb NOT NULL,
      term_months int NOT NULL,
      start_date date NOT NULL,
      end_date date,
      status text NOT NULL DEFAULT 'PENDING_ONBOARDING' CHECK (status IN ('PENDING_ONBOARDING', 'ACTIVE', 'TERMINATED')),
      monitored_products text[] NOT NULL DEFAULT '{}',
      escalation_contacts jsonb NOT NULL DEFAULT '[]'::jsonb,
      isolation_pre_approved boolean NOT NULL DEFAULT false,
      log_retention_months int NOT NULL DEFAULT 3 CHECK (log_retention_months BETWEEN 1 AND 120),
      contacts_confirmed_at timestamptz,
      contacts_confirmed_by text,
      activated_at timestamptz,
      activated_by text,
      service_start_date date,
      terminated_at timestamptz,
      terminated_by text,
      initial_fees_period text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (end_date IS NULL OR end_date >= start_date)
    )`);
    await q.query(`CREATE INDEX contract_customer_idx ON contracts.contract (customer_id)`);
    await q.query(`CREATE INDEX contract_billable_idx ON contracts.contract (service_start_date) WHERE service_start_date IS NOT NULL`);

    await q.query(`CREATE TABLE contracts.terms_acceptance (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      contract_id uuid NOT NULL REFERENCES contracts.contract(id),
      customer_id uuid NOT NULL REFERENCES contracts.customer(id),
      terms_version text NOT NULL REFERENCES contracts.terms_version(version),
      terms_sha256 text NOT NULL,
      accepted_by text NOT NULL,
      accepted_by_role text NOT NULL,
      accepted_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (contract_id, terms_version)
    )`);

    // Read models of ingestion's sensor events, for the onboarding checklist.
    await q.query(`CREATE TABLE contracts.customer_sensor (
      sensor_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      product text,
      name text,
      registered_at timestamptz,
      first_event_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX customer_sensor_customer_idx ON contracts.customer_sensor (customer_id)`);

    // Read model of endpoint-response's endpoints.counted: one row per customer and JST day.
    await q.query(`CREATE TABLE contracts.endpoint_daily_count (
      customer_id uuid NOT NULL,
      day date NOT NULL,
      count int NOT NULL CHECK (count >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (customer_id, day)
    )`);

    await q.query(`CREATE TABLE contracts.billing_run (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      period text NOT NULL,
      draft boolean NOT NULL,
      started_by text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      invoices_created int NOT NULL DEFAULT 0,
      invoices_existing int NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE INDEX billing_run_period_idx ON contracts.billing_run (period, started_at DESC)`);

    await q.query(`CREATE TABLE contracts.invoice (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number text UNIQUE,
      number_prefix text,
      number_year int,
      number_sequence int,
      period text NOT NULL,
      recipient_kind text NOT NULL CHECK (recipient_kind IN ('customer', 'partner')),
      recipient_id uuid NOT NULL,
      customer_id uuid REFERENCES contracts.customer(id),
      partner_id uuid REFERENCES contracts.partner(id),
      recipient_name text NOT NULL,
      customer_ids uuid[] NOT NULL,
      issuer_name text NOT NULL,
      issuer_registration_number text NOT NULL,
      transaction_date date NOT NULL,
      due_date date NOT NULL,
      subtotal bigint NOT NULL,
      tax bigint NOT NULL,
      total bigint NOT NULL,
      tax_by_rate jsonb NOT NULL,
      tax_rounding text NOT NULL,
      customer_subtotals jsonb NOT NULL,
      status text NOT NULL CHECK (status IN ('DRAFT', 'ISSUED', 'PAID', 'OVERDUE', 'VOID')),
      billing_run_id uuid REFERENCES contracts.billing_run(id),
      issued_at timestamptz,
      paid_at timestamptz,
      voided_at timestamptz,
      payment_failed_at timestamptz,
      stripe_sync_status text NOT NULL DEFAULT 'NONE' CHECK (stripe_sync_status IN ('NONE', 'PENDING', 'SYNCED', 'FAILED')),
      stripe_invoice_id text UNIQUE,
      stripe_sync_attempts int NOT NULL DEFAULT 0,
      stripe_next_attempt_at timestamptz,
      stripe_last_error text,
      stripe_synced_at timestamptz,
      pdf_report_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (number_prefix, number_year, number_sequence),
      CHECK (status = 'DRAFT' OR number IS NOT NULL),
      CHECK ((recipient_kind = 'customer') = (customer_id IS NOT NULL AND partner_id IS NULL))
    )`);
    // One live invoice per recipient and period: the guard that makes billing runs idempotent.
    await q.query(`CREATE UNIQUE INDEX invoice_recipient_period_uniq ON contracts.invoice (recipient_id, period) WHERE status <> 'VOID'`);
    await q.query(`CREATE INDEX invoice_period_idx ON contracts.invoice (period)`);
    await q.query(`CREATE INDEX invoice_customer_ids_idx ON contracts.invoice USING gin (customer_ids)`);
    await q.query(`CREATE INDEX invoice_stripe_pending_idx ON contracts.invoice (stripe_next_attempt_at) WHERE stripe_sync_status = 'PENDING'`);

    await q.query(`CREATE TABLE contracts.invoice_line (
      id bigserial PRIMARY KEY,
      invoice_id uuid NOT NULL REFERENCES contracts.invoice(id) ON DELETE CASCADE,
      position int NOT NULL,
      line_key text NOT NULL,
      customer_id uuid NOT NULL,
      contract_id uuid,
      code text NOT NULL,
      description text NOT NULL,
      description_ja text NOT NULL,
      quantity bigint NOT NULL,
      unit_price bigint NOT NULL,
      amount bigint NOT NULL,
      tax_rate int NOT NULL,
      recurring text NOT NULL,
      service_from date,
      service_to date,
      proration jsonb,
      superseded boolean NOT NULL DEFAULT false,
      UNIQUE (invoice_id, position)
    )`);
    // A charge is billed once: a line key may appear on one live (not voided) invoice only.
    await q.query(`CREATE UNIQUE INDEX invoice_line_key_uniq ON contracts.invoice_line (line_key) WHERE NOT superseded`);

    // Stripe webhook events already handled, so a redelivery has no second effect.
    await q.query(`CREATE TABLE contracts.stripe_event (
      event_id text PRIMARY KEY,
      type text NOT NULL,
      object_id text,
      outcome text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'stripe_event',
      'invoice_line',
      'invoice',
      'billing_run',
      'endpoint_daily_count',
      'customer_sensor',
      'terms_acceptance',
      'contract',
      'quote',
      'document_counter',
      'terms_version',
      'catalogue_option',
    ]) {
      await q.query(`DROP TABLE contracts.${table}`);
    }
    await q.query(`ALTER TABLE contracts.plan DROP COLUMN available_options, DROP COLUMN created_by, DROP COLUMN created_at`);
    await q.query(`ALTER TABLE contracts.customer DROP COLUMN stripe_customer_id`);
    await q.query(`ALTER TABLE contracts.partner DROP COLUMN postal_code, DROP COLUMN address, DROP COLUMN stripe_customer_id, DROP COLUMN updated_at`);
  }
}
