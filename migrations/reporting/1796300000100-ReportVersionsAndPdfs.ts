import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 13: reports become stored PDFs. Each row is one version of one document (regenerating
// adds a version, never replaces one); the bytes live in report_pdf (or in S3, by key). A
// partner's own invoice has no customer: it belongs to the partner (owner_partner_id).
export class ReportVersionsAndPdfs1796300000100 implements MigrationInterface {
  name = 'ReportVersionsAndPdfs1796300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reporting.report
      ALTER COLUMN customer_id DROP NOT NULL,
      ADD COLUMN owner_partner_id uuid,
      ADD COLUMN subject_id uuid,
      ADD COLUMN period text CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
      ADD COLUMN edition text CHECK (edition IN ('FIRST', 'DETAILED')),
      ADD COLUMN version int NOT NULL DEFAULT 1 CHECK (version >= 1),
      ADD COLUMN provisional boolean NOT NULL DEFAULT false,
      ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      ADD COLUMN storage text NOT NULL DEFAULT 'postgres' CHECK (storage IN ('postgres', 's3')),
      ADD COLUMN storage_key text,
      ADD CONSTRAINT report_owner_check CHECK (customer_id IS NOT NULL OR owner_partner_id IS NOT NULL)`);
    // subject_ref is the version key: the same document regenerated shares it.
    await q.query(`CREATE UNIQUE INDEX report_version_uq ON reporting.report (kind, subject_ref, version) WHERE subject_ref IS NOT NULL`);
    await q.query(`CREATE INDEX report_owner_partner_idx ON reporting.report (owner_partner_id, created_at DESC) WHERE owner_partner_id IS NOT NULL`);
    await q.query(`CREATE INDEX report_subject_idx ON reporting.report (subject_id) WHERE subject_id IS NOT NULL`);
    await q.query(`CREATE TABLE reporting.report_pdf (
      report_id uuid PRIMARY KEY REFERENCES reporting.report(id) ON DELETE CASCADE,
      pdf bytea NOT NULL
    )`);
    // Renders that failed every attempt: provider staff see them (failedReportRenders) and retry.
    await q.query(`CREATE TABLE reporting.render_failure (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      job_key text NOT NULL UNIQUE,
      kind text NOT NULL,
      customer_id uuid,
      owner_partner_id uuid,
      subject_id uuid,
      request jsonb NOT NULL,
      error text NOT NULL,
      attempts int NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz
    )`);
    // Quotes and invoices to render, as contracts' v2 events carried them (one row per event).
    await q.query(`CREATE TABLE reporting.billing_document (
      event_id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('QUOTE', 'INVOICE')),
      subject_id uuid NOT NULL,
      customer_id uuid,
      partner_id uuid,
      body jsonb NOT NULL,
      report_id uuid REFERENCES reporting.report(id),
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reporting.billing_document`);
    await q.query(`DROP TABLE reporting.render_failure`);
    await q.query(`DROP TABLE reporting.report_pdf`);
    await q.query(`DROP INDEX reporting.report_subject_idx`);
    await q.query(`DROP INDEX reporting.report_owner_partner_idx`);
    await q.query(`DROP INDEX reporting.report_version_uq`);
    await q.query(`DELETE FROM reporting.report WHERE customer_id IS NULL`);
    await q.query(`ALTER TABLE reporting.report
      DROP CONSTRAINT report_owner_check,
      DROP COLUMN storage_key, DROP COLUMN storage, DROP COLUMN metadata, DROP COLUMN provisional,
      DROP COLUMN version, DROP COLUMN edition, DROP COLUMN period, DROP COLUMN subject_id, DROP COLUMN owner_partner_id,
      ALTER COLUMN customer_id SET NOT NULL`);
  }
}
