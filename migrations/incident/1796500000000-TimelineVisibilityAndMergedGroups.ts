import { MigrationInterface, QueryRunner } from 'typeorm';

// Timeline entries are either for the customer (CUSTOMER: status, notifications, the customer's
// own comments, comments analysts mark for the customer) or the SOC's own (INTERNAL: analysts'
// comments by default, assignment, escalation, findings drafts); customers and partners see only
// the former. Existing entries take their kind's default; existing comments (whose author's role
// is not stored) become internal, so nothing written for the SOC reaches a customer.
// And a verdict of an alert group whose incident was merged away follows the merge pointer:
// the group's merged incidents are found by a small partial index.
export class TimelineVisibilityAndMergedGroups1796500000000 implements MigrationInterface {
  name = 'TimelineVisibilityAndMergedGroups1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incident.timeline_entry ADD COLUMN visibility text NOT NULL DEFAULT 'CUSTOMER' CHECK (visibility IN ('INTERNAL', 'CUSTOMER'))`);
    await q.query(`UPDATE incident.timeline_entry SET visibility = 'INTERNAL' WHERE kind IN ('ASSIGNMENT', 'ESCALATION', 'FINDINGS', 'COMMENT')`);
    await q.query(`CREATE INDEX incident_merged_group_idx ON incident.incident (group_id, closed_at) WHERE merged_into IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX incident.incident_merged_group_idx`);
    await q.query(`ALTER TABLE incident.timeline_entry DROP COLUMN visibility`);
  }
}
