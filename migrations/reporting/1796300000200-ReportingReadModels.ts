import { MigrationInterface, QueryRunner } from 'typeorm';

// What reporting knows of other services, kept only from their events (it may not read their
// schemas): verdicts, incidents, isolations, sensors and their liveness, maintenance windows,
// work orders, contracts. The analysis and monthly reports are rendered from these tables.
export class ReportingReadModels1796300000200 implements MigrationInterface {
  name = 'ReportingReadModels1796300000200';

  async up(q: QueryRunner): Promise<void> {
    // One row per verdict (an analyst's override replaces it: latest by the event's occurredAt).
    // `day` is the Tokyo date of the decision: monthly statistics group by it.
    await q.query(`CREATE TABLE reporting.verdict_fact (
      verdict_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      day date NOT NULL,
      decided_at timestamptz NOT NULL,
      severity text NOT NULL,
      sensor_id uuid NOT NULL,
      product text NOT NULL,
      category text[] NOT NULL,
      signature text,
      blocked boolean,
      group_id uuid,
      alert_ids uuid[] NOT NULL,
      reasons jsonb NOT NULL,
      actions jsonb NOT NULL,
      endpoints jsonb NOT NULL,
      overridden boolean NOT NULL,
      event_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX verdict_fact_customer_day_idx ON reporting.verdict_fact (customer_id, day)`);
    // The latest snapshot of each incident (by its version).
    await q.query(`CREATE TABLE reporting.incident_snapshot (
      incident_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      version int NOT NULL,
      kind text NOT NULL,
      severity text NOT NULL,
      status text NOT NULL,
      title text NOT NULL,
      opened_at timestamptz NOT NULL,
      resolved_at timestamptz,
      sensor_id uuid,
      snapshot jsonb NOT NULL
    )`);
    await q.query(`CREATE INDEX incident_snapshot_customer_opened_idx ON reporting.incident_snapshot (customer_id, opened_at)`);
    // Every isolation outcome as endpoint-response reported it: the isolation log.
    await q.query(`CREATE TABLE reporting.isolation_outcome (
      event_id uuid PRIMARY KEY,
      isolation_id uuid NOT NULL,
      incident_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      endpoint_id uuid NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('ISOLATED', 'FAILED', 'RELEASED')),
      at timestamptz NOT NULL,
      vendor text,
      host_name text,
      error text
    )`);
    await q.query(`CREATE INDEX isolation_outcome_incident_idx ON reporting.isolation_outcome (incident_id, at)`);
    await q.query(`CREATE INDEX isolation_outcome_customer_at_idx ON reporting.isolation_outcome (customer_id, at)`);
    await q.query(`CREATE TABLE reporting.sensor (
      sensor_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      product text NOT NULL,
      name text NOT NULL,
      registered_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX sensor_customer_idx ON reporting.sensor (customer_id)`);
    // Liveness changes (UP/DOWN); up-time intervals are derived from them per month.
    await q.query(`CREATE TABLE reporting.sensor_liveness_change (
      event_id uuid PRIMARY KEY,
      sensor_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('UP', 'DOWN')),
      at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX sensor_liveness_change_sensor_at_idx ON reporting.sensor_liveness_change (customer_id, sensor_id, at)`);
    await q.query(`CREATE TABLE reporting.maintenance_window (
      window_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      sensor_id uuid,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      reason text NOT NULL,
      cancelled boolean NOT NULL,
      event_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX maintenance_window_customer_idx ON reporting.maintenance_window (customer_id, starts_at)`);
    await q.query(`CREATE TABLE reporting.work_order (
      work_order_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      sensor_id uuid NOT NULL,
      kind text NOT NULL,
      planned_start timestamptz NOT NULL,
      planned_end timestamptz NOT NULL,
      engineer text NOT NULL,
      outcome text,
      completed_at timestamptz,
      event_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX work_order_customer_idx ON reporting.work_order (customer_id, planned_start)`);
    // Contracts as their entitlement events carry them: plan, contacts (with their language), start.
    await q.query(`CREATE TABLE reporting.customer_contract (
      contract_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      plan text NOT NULL,
      status text NOT NULL,
      start_date date NOT NULL,
      end_date date,
      contacts jsonb NOT NULL,
      event_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX customer_contract_customer_idx ON reporting.customer_contract (customer_id)`);
    // Analysis reports incident asked for (analysis-report.requested): rendered once, mailed once when approved.
    await q.query(`CREATE TABLE reporting.analysis_report_request (
      request_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      incident_id uuid NOT NULL,
      edition text NOT NULL CHECK (edition IN ('FIRST', 'DETAILED')),
      language text NOT NULL CHECK (language IN ('ja', 'en')),
      approved_by text,
      recipients jsonb NOT NULL,
      report_id uuid,
      message_id text,
      sent_at timestamptz,
      requested_at timestamptz NOT NULL
    )`);
    // The final monthly report of each customer, month and contact language, made and mailed once.
    await q.query(`CREATE TABLE reporting.monthly_report_run (
      customer_id uuid NOT NULL,
      month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      language text NOT NULL CHECK (language IN ('ja', 'en')),
      report_id uuid,
      recipients jsonb,
      message_id text,
      mailed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (customer_id, month, language)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['monthly_report_run', 'analysis_report_request', 'customer_contract', 'work_order', 'maintenance_window', 'sensor_liveness_change', 'sensor', 'isolation_outcome', 'incident_snapshot', 'verdict_fact']) {
      await q.query(`DROP TABLE reporting.${t}`);
    }
  }
}
