import { MigrationInterface, QueryRunner } from 'typeorm';

// value_count correlations (one account on many hosts): the latest time each counted value was
// seen per rule, customer and group, beside the entries. A window's distinct values then cost one
// row per value, not one per event: an account seen on every alert of a busy hour made every
// alert scan that hour's entries. Entries stay the truth for windows ending before a value's
// latest time (an event that arrives late).
export class CreateCorrelationValues1796300000000 implements MigrationInterface {
  name = 'CreateCorrelationValues1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analysis.correlation_value (
      rule_id uuid NOT NULL REFERENCES analysis.detection_rule (id) ON DELETE CASCADE,
      customer_id uuid NOT NULL,
      group_key text NOT NULL,
      value text NOT NULL,
      last_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (rule_id, customer_id, group_key, value)
    )`);
    await q.query(`CREATE INDEX correlation_value_expiry ON analysis.correlation_value (expires_at)`);
    // the values already recorded
    await q.query(`INSERT INTO analysis.correlation_value (rule_id, customer_id, group_key, value, last_at, expires_at)
      SELECT rule_id, customer_id, group_key, value, max(at), max(expires_at) FROM analysis.correlation_entry WHERE value IS NOT NULL
      GROUP BY rule_id, customer_id, group_key, value`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis.correlation_value`);
  }
}
