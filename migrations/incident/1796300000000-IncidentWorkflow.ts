import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 11: the incident workflow. Incidents grow kind, alert group, sensor, optimistic-lock
// version, assignment, findings, dispositions and the SLA clocks (stored, so they survive restarts;
// `next_due_at` is the earliest running, unbreached, unpaused due time, indexed for the scheduler).
// Beside it: the timeline, the verdicts and alerts joined to each incident, LOW verdicts counted for
// the monthly statistics, read models of contracts (customer terms) and sensors, the duty roster,
// the SLA pauses and the analysis-report requests.
export class IncidentWorkflow1796300000000 implements MigrationInterface {
  name = 'IncidentWorkflow1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incident.incident
      ADD COLUMN kind text NOT NULL DEFAULT 'SECURITY' CHECK (kind IN ('SECURITY', 'AVAILABILITY')),
      ADD COLUMN group_id uuid,
      ADD COLUMN sensor_id uuid,
      ADD COLUMN version integer NOT NULL DEFAULT 1,
      ADD COLUMN severity_confirmed_at timestamptz,
      ADD COLUMN severity_confirmed_by text,
      ADD COLUMN tier1_assignee text,
      ADD COLUMN tier2_assignee text,
      ADD COLUMN escalated_at timestamptz,
      ADD COLUMN acknowledged_at timestamptz,
      ADD COLUMN acknowledged_by text,
      ADD COLUMN what_is_happening text,
      ADD COLUMN how_dangerous text,
      ADD COLUMN what_to_do text,
      ADD COLUMN resolution_summary text,
      ADD COLUMN resolved_at timestamptz,
      ADD COLUMN closed_at timestamptz,
      ADD COLUMN merged_into uuid REFERENCES incident.incident (id),
      ADD COLUMN disposition text CHECK (disposition IN ('DUPLICATE', 'FALSE_POSITIVE')),
      ADD COLUMN disposition_reason text,
      ADD COLUMN duplicate_of uuid REFERENCES incident.incident (id),
      ADD COLUMN sla_plan text,
      ADD COLUMN sla_service_hours text,
      ADD COLUMN analysis_due_at timestamptz,
      ADD COLUMN analysis_met_at timestamptz,
      ADD COLUMN analysis_breached boolean NOT NULL DEFAULT false,
      ADD COLUMN first_report_due_at timestamptz,
      ADD COLUMN first_report_met_at timestamptz,
      ADD COLUMN first_report_breached boolean NOT NULL DEFAULT false,
      ADD COLUMN detailed_report_due_at timestamptz,
      ADD COLUMN detailed_report_met_at timestamptz,
      ADD COLUMN detailed_report_breached boolean NOT NULL DEFAULT false,
      ADD COLUMN paused_at timestamptz,
      ADD COLUMN pause_reason text,
      ADD COLUMN next_due_at timestamptz`);
    // At most one open incident per alert group (closed/resolved ones do not count): a verdict of the
    // group attaches to it, and two consumers racing cannot open a second.
    await q.query(`CREATE UNIQUE INDEX incident_open_group_uq ON incident.incident (group_id) WHERE group_id IS NOT NULL AND status NOT IN ('RESOLVED', 'CLOSED')`);
    await q.query(`CREATE UNIQUE INDEX incident_open_availability_uq ON incident.incident (sensor_id) WHERE kind = 'AVAILABILITY' AND status NOT IN ('RESOLVED', 'CLOSED')`);
    await q.query(`CREATE INDEX incident_next_due_idx ON incident.incident (next_due_at) WHERE next_due_at IS NOT NULL`);
    await q.query(`CREATE INDEX incident_queue_idx ON incident.incident (analysis_due_at, id) WHERE status NOT IN ('RESOLVED', 'CLOSED')`);

    await q.query(`CREATE TABLE incident.timeline_entry (
      id bigserial PRIMARY KEY,
      incident_id uuid NOT NULL REFERENCES incident.incident (id),
      at timestamptz NOT NULL,
      kind text NOT NULL,
      actor text NOT NULL,
      text text NOT NULL
    )`);
    await q.query(`CREATE INDEX timeline_entry_incident_idx ON incident.timeline_entry (incident_id, at, id)`);

    // Every verdict joined to an incident (the latest severity per verdict: an override replaces it).
    await q.query(`CREATE TABLE incident.incident_verdict (
      verdict_id uuid PRIMARY KEY,
      incident_id uuid NOT NULL REFERENCES incident.incident (id),
      severity text NOT NULL,
      alert_ids uuid[] NOT NULL,
      decided_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX incident_verdict_incident_idx ON incident.incident_verdict (incident_id)`);

    // LOW verdicts open no incident: counted here for the monthly statistics; an analyst may raise one.
    await q.query(`CREATE TABLE incident.low_verdict (
      verdict_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      sensor_id uuid NOT NULL,
      group_id uuid,
      title text NOT NULL,
      alert_ids uuid[] NOT NULL,
      decided_at timestamptz NOT NULL,
      raised_incident_id uuid REFERENCES incident.incident (id)
    )`);
    await q.query(`CREATE INDEX low_verdict_customer_idx ON incident.low_verdict (customer_id, decided_at)`);

    await q.query(`CREATE TABLE incident.customer_terms (
      contract_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      plan text NOT NULL,
      service_hours text,
      escalation_contacts jsonb NOT NULL DEFAULT '[]',
      isolation_pre_approved boolean NOT NULL DEFAULT false,
      isolation_on_automatic_verdicts boolean NOT NULL DEFAULT false,
      status text NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX customer_terms_customer_idx ON incident.customer_terms (customer_id)`);

    await q.query(`CREATE TABLE incident.sensor (
      sensor_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      product text NOT NULL,
      name text NOT NULL,
      updated_at timestamptz NOT NULL
    )`);

    await q.query(`CREATE TABLE incident.duty_shift (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tier integer NOT NULL CHECK (tier IN (1, 2)),
      person text NOT NULL,
      name text NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX duty_shift_time_idx ON incident.duty_shift (tier, starts_at, ends_at)`);

    await q.query(`CREATE TABLE incident.sla_pause (
      id bigserial PRIMARY KEY,
      incident_id uuid NOT NULL REFERENCES incident.incident (id),
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      reason text NOT NULL,
      started_by text NOT NULL
    )`);
    await q.query(`CREATE INDEX sla_pause_incident_idx ON incident.sla_pause (incident_id, started_at)`);

    await q.query(`CREATE TABLE incident.analysis_report_request (
      request_id uuid PRIMARY KEY,
      incident_id uuid NOT NULL REFERENCES incident.incident (id),
      edition text NOT NULL CHECK (edition IN ('FIRST', 'DETAILED')),
      requested_by text NOT NULL,
      approved_by text,
      requested_at timestamptz NOT NULL,
      report_id uuid,
      ready_at timestamptz,
      sent_at timestamptz
    )`);
    await q.query(`CREATE INDEX analysis_report_request_incident_idx ON incident.analysis_report_request (incident_id)`);
    await q.query(`CREATE INDEX analysis_report_request_report_idx ON incident.analysis_report_request (report_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['analysis_report_request', 'sla_pause', 'duty_shift', 'sensor', 'customer_terms', 'low_verdict', 'incident_verdict', 'timeline_entry']) {
      await q.query(`DROP TABLE incident.${t}`);
    }
    await q.query(`DROP INDEX incident.incident_open_group_uq`);
    await q.query(`DROP INDEX incident.incident_open_availability_uq`);
    await q.query(`DROP INDEX incident.incident_next_due_idx`);
    await q.query(`DROP INDEX incident.incident_queue_idx`);
    for (const c of [
      'kind', 'group_id', 'sensor_id', 'version', 'severity_confirmed_at', 'severity_confirmed_by', 'tier1_assignee', 'tier2_assignee', 'escalated_at',
      'acknowledged_at', 'acknowledged_by', 'what_is_happening', 'how_dangerous', 'what_to_do', 'resolution_summary', 'resolved_at', 'closed_at',
      'merged_into', 'disposition', 'disposition_reason', 'duplicate_of', 'sla_plan', 'sla_service_hours', 'analysis_due_at', 'analysis_met_at',
      'analysis_breached', 'first_report_due_at', 'first_report_met_at', 'first_report_breached', 'detailed_report_due_at', 'detailed_report_met_at',
      'detailed_report_breached', 'paused_at', 'pause_reason', 'next_due_at',
    ]) {
      await q.query(`ALTER TABLE incident.incident DROP COLUMN ${c}`);
    }
  }
}
