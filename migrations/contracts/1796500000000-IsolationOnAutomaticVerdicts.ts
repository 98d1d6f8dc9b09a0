import { MigrationInterface, QueryRunner } from 'typeorm';

// With isolationPreApproved: may the SOC isolate at once on an automatic HIGH verdict (issue 11 item 4).
export class IsolationOnAutomaticVerdicts1796500000000 implements MigrationInterface {
  name = 'IsolationOnAutomaticVerdicts1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contracts.contract ADD COLUMN isolation_on_automatic_verdicts boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contracts.contract DROP COLUMN isolation_on_automatic_verdicts`);
  }
}
