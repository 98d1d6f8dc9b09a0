import { MigrationInterface, QueryRunner } from 'typeorm';

// A partner's discounts and custom lines beyond its limits need provider approval before the quote
// can be sent (issue 15 item 4). Limits default to none allowed without approval.
export class PartnerQuoteApproval1796600000000 implements MigrationInterface {
  name = 'PartnerQuoteApproval1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contracts.partner
      ADD COLUMN quote_discount_limit_bps int NOT NULL DEFAULT 0 CHECK (quote_discount_limit_bps BETWEEN 0 AND 10000),
      ADD COLUMN quote_custom_lines_limit bigint NOT NULL DEFAULT 0 CHECK (quote_custom_lines_limit >= 0)`);
    await q.query(`ALTER TABLE contracts.quote
      ADD COLUMN approval_reasons text[] NOT NULL DEFAULT '{}',
      ADD COLUMN approved_at timestamptz,
      ADD COLUMN approved_by text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contracts.quote DROP COLUMN approval_reasons, DROP COLUMN approved_at, DROP COLUMN approved_by`);
    await q.query(`ALTER TABLE contracts.partner DROP COLUMN quote_discount_limit_bps, DROP COLUMN quote_custom_lines_limit`);
  }
}
