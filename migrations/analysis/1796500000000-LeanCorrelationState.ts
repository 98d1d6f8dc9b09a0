import { MigrationInterface, QueryRunner } from 'typeorm';

// Correlation state is written about three rows per alert (one per correlation rule an alert
// meets), so each row's fixed costs count:
// - the foreign keys to detection_rule ran a trigger per inserted row that locked the rule's row
//   FOR KEY SHARE (a multixact once two transactions held it). Rules are disabled, never deleted,
//   and every entry expires within its rule's timespan, so the reference protects nothing;
// - the entries' primary key index was never read (id only breaks ties in a sequence's order);
// - entries are written in time order and pruned by expiry, which a BRIN index serves at a
//   fraction of a b-tree's upkeep.
export class LeanCorrelationState1796500000000 implements MigrationInterface {
  name = 'LeanCorrelationState1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analysis.correlation_entry DROP CONSTRAINT correlation_entry_rule_id_fkey`);
    await q.query(`ALTER TABLE analysis.correlation_value DROP CONSTRAINT correlation_value_rule_id_fkey`);
    await q.query(`ALTER TABLE analysis.correlation_entry DROP CONSTRAINT correlation_entry_pkey`);
    await q.query(`DROP INDEX analysis.correlation_entry_expiry`);
    await q.query(`CREATE INDEX correlation_entry_expiry ON analysis.correlation_entry USING brin (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX analysis.correlation_entry_expiry`);
    await q.query(`CREATE INDEX correlation_entry_expiry ON analysis.correlation_entry (expires_at)`);
    await q.query(`ALTER TABLE analysis.correlation_entry ADD PRIMARY KEY (id)`);
    await q.query(`DELETE FROM analysis.correlation_entry e WHERE NOT EXISTS (SELECT 1 FROM analysis.detection_rule r WHERE r.id = e.rule_id)`);
    await q.query(`DELETE FROM analysis.correlation_value v WHERE NOT EXISTS (SELECT 1 FROM analysis.detection_rule r WHERE r.id = v.rule_id)`);
    await q.query(`ALTER TABLE analysis.correlation_entry ADD FOREIGN KEY (rule_id) REFERENCES analysis.detection_rule (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE analysis.correlation_value ADD FOREIGN KEY (rule_id) REFERENCES analysis.detection_rule (id) ON DELETE CASCADE`);
  }
}
