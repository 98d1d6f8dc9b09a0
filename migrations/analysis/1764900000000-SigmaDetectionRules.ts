import { MigrationInterface, QueryRunner } from 'typeorm';

// Detection rules become Sigma YAML with parsed metadata and versions; per-customer disablement;
// correlation windows. The JSON conditions are converted by the next migration and dropped by
// the one after it.
export class SigmaDetectionRules1764900000000 implements MigrationInterface {
  name = 'SigmaDetectionRules1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analysis.detection_rule
      ADD COLUMN yaml text,
      ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      ADD COLUMN level text CHECK (level IN ('informational', 'low', 'medium', 'high', 'critical')),
      ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
      ADD COLUMN attack_techniques text[] NOT NULL DEFAULT '{}',
      ADD COLUMN logsource jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN sigma_id text,
      ADD COLUMN pack_file text UNIQUE,
      ADD COLUMN pack_hash text,
      ADD COLUMN last_error text,
      ADD COLUMN updated_by text,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ALTER COLUMN condition DROP NOT NULL`);
    // Every version's YAML, so a verdict's (rule, version) can always be read back.
    await q.query(`CREATE TABLE analysis.detection_rule_version (
      rule_id uuid NOT NULL REFERENCES analysis.detection_rule (id) ON DELETE CASCADE,
      version integer NOT NULL,
      yaml text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (rule_id, version)
    )`);
    // A rule runs for every customer unless a row here turns it off for one.
    await q.query(`CREATE TABLE analysis.detection_rule_customer (
      rule_id uuid NOT NULL REFERENCES analysis.detection_rule (id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      enabled boolean NOT NULL,
      set_by text NOT NULL,
      set_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (rule_id, customer_id)
    )`);
    await q.query(`CREATE INDEX detection_rule_customer_customer ON analysis.detection_rule_customer (customer_id)`);
    // Correlation windows: one row per event a correlation rule counted, until its window ends.
    await q.query(`CREATE TABLE analysis.correlation_entry (
      id bigserial PRIMARY KEY,
      rule_id uuid NOT NULL REFERENCES analysis.detection_rule (id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      group_key text NOT NULL,
      step smallint NOT NULL DEFAULT 0,
      value text,
      at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX correlation_entry_window ON analysis.correlation_entry (rule_id, customer_id, group_key, at)`);
    await q.query(`CREATE INDEX correlation_entry_expiry ON analysis.correlation_entry (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis.correlation_entry`);
    await q.query(`DROP TABLE analysis.detection_rule_customer`);
    await q.query(`DROP TABLE analysis.detection_rule_version`);
    await q.query(`UPDATE analysis.detection_rule SET condition = '{"field":"event.severity","gte":0}' WHERE condition IS NULL`);
    await q.query(`ALTER TABLE analysis.detection_rule
      ALTER COLUMN condition SET NOT NULL,
      DROP COLUMN yaml, DROP COLUMN version, DROP COLUMN level, DROP COLUMN tags, DROP COLUMN attack_techniques, DROP COLUMN logsource,
      DROP COLUMN sigma_id, DROP COLUMN pack_file, DROP COLUMN pack_hash, DROP COLUMN last_error, DROP COLUMN updated_by, DROP COLUMN updated_at`);
  }
}
