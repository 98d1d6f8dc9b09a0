import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

// Backfill for 1764400000000: the contract terms in force (version 1.1 of 2017-02-01, per the
// service description), the liveness monitoring option at its reference price (+100,000 JPY
// initial and monthly), and which plans may add it (FE alert analysis only: the monitoring and
// integrated plans include it, MDR and consulting do not offer it).
//
// The service description names the terms version and date but not their wording; the body
// stored here identifies that document, and acceptances record the hash of exactly this text.
export const TERMS_1_1_BODY = [
  'セキュリティ監視サービス利用規約 第1.1版（2017年2月1日制定）',
  'Security monitoring service terms and conditions, version 1.1, dated 2017-02-01.',
  '',
  '本規約は、当社が提供するセキュリティ監視サービス（FEアラート分析、FEセキュリティ監視、MDR、統合セキュリティ管理、SOC設計コンサルティング）の利用条件を定めるものです。',
  'These terms govern the use of the security monitoring services offered by the provider (FE alert analysis, FE security monitoring, MDR, integrated security management and SOC design consulting).',
].join('\n');

export class SeedTermsAndOptionCatalogue1764400000001 implements MigrationInterface {
  name = 'SeedTermsAndOptionCatalogue1764400000001';

  async up(q: QueryRunner): Promise<void> {
    const sha256 = createHash('sha256').update(TERMS_1_1_BODY, 'utf8').digest('hex');
    await q.query(
      `INSERT INTO contracts.terms_version (version, effective_date, title, body, sha256, published_by, published_at)
       VALUES ('1.1', '2017-02-01', 'セキュリティ監視サービス利用規約 / Service terms', $1, $2, 'seed', '2017-02-01T00:00:00+09:00')`,
      [TERMS_1_1_BODY, sha256],
    );
    await q.query(`INSERT INTO contracts.catalogue_option (code, version, name, name_ja, initial_fee, monthly_fee, effective_from, created_by)
      VALUES ('LIVENESS_MONITORING', 1, 'Liveness monitoring and operations', '死活監視・運用管理', 100000, 100000, '2017-02-01T00:00:00+09:00', 'seed')`);
    await q.query(`UPDATE contracts.plan SET available_options = '{LIVENESS_MONITORING}' WHERE code = 'FE_ALERT_ANALYSIS'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE contracts.plan SET available_options = '{}'`);
    await q.query(`DELETE FROM contracts.catalogue_option WHERE version = 1 AND code = 'LIVENESS_MONITORING'`);
    await q.query(`DELETE FROM contracts.terms_version WHERE version = '1.1'`);
  }
}
