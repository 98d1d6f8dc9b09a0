import { MigrationInterface, QueryRunner } from 'typeorm';

// Alert groups (related alerts of one customer) with their members, and suppression rules with
// the alerts they silenced. An alert is in at most one group; redelivery finds its membership.
// A group is open while status is OPEN and an alert joined within the window (computed on read,
// so no sweeper has to flip rows): the partial index finds a customer's recently active groups.
// suppression_revision is bumped by every change so each replica's in-memory rules reload.
export class CreateAlertGroupsAndSuppressions1796206039193 implements MigrationInterface {
  name = 'CreateAlertGroupsAndSuppressions1796206039193';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analysis.alert_group (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
      severity text CHECK (severity IN ('HIGH', 'MEDIUM', 'LOW')),
      title text NOT NULL,
      vendor_group_key text,
      rule_keys text[] NOT NULL DEFAULT '{}',
      hosts text[] NOT NULL DEFAULT '{}',
      ioc_values text[] NOT NULL DEFAULT '{}',
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      last_alert_at timestamptz NOT NULL,
      alert_count integer NOT NULL DEFAULT 0,
      closed_at timestamptz,
      closed_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX alert_group_open_idx ON analysis.alert_group (customer_id, last_alert_at DESC) WHERE status = 'OPEN'`);
    await q.query(`CREATE INDEX alert_group_list_idx ON analysis.alert_group (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX alert_group_customer_list_idx ON analysis.alert_group (customer_id, created_at DESC, id DESC)`);
    await q.query(`CREATE TABLE analysis.alert_group_member (
      alert_id uuid PRIMARY KEY,
      group_id uuid NOT NULL REFERENCES analysis.alert_group (id) ON DELETE CASCADE,
      added_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX alert_group_member_page_idx ON analysis.alert_group_member (group_id, added_at DESC, alert_id DESC)`);
    await q.query(`CREATE TABLE analysis.suppression (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid,
      conditions jsonb NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      reason text NOT NULL CHECK (length(reason) > 0),
      owner text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      ended_by text,
      CHECK (ends_at > starts_at)
    )`);
    await q.query(`CREATE INDEX suppression_customer_idx ON analysis.suppression (customer_id, created_at DESC)`);
    await q.query(`CREATE INDEX suppression_ends_at_idx ON analysis.suppression (ends_at)`);
    await q.query(`CREATE TABLE analysis.suppressed_alert (
      suppression_id uuid NOT NULL REFERENCES analysis.suppression (id) ON DELETE CASCADE,
      alert_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      suppressed_at timestamptz NOT NULL,
      PRIMARY KEY (suppression_id, alert_id)
    )`);
    await q.query(`CREATE INDEX suppressed_alert_page_idx ON analysis.suppressed_alert (suppression_id, suppressed_at DESC, alert_id DESC)`);
    await q.query(`CREATE INDEX suppressed_alert_customer_idx ON analysis.suppressed_alert (suppression_id, customer_id)`);
    await q.query(`CREATE TABLE analysis.suppression_revision (id smallint PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL)`);
    await q.query(`INSERT INTO analysis.suppression_revision (id, revision) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis.suppression_revision`);
    await q.query(`DROP TABLE analysis.suppressed_alert`);
    await q.query(`DROP TABLE analysis.suppression`);
    await q.query(`DROP TABLE analysis.alert_group_member`);
    await q.query(`DROP TABLE analysis.alert_group`);
  }
}
