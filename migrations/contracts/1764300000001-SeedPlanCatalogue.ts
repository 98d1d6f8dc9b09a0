import { MigrationInterface, QueryRunner } from 'typeorm';

// The catalogue from the service description (seed/README.md), version 1. The MDR unit price is
// not in the seed: 1,500 JPY per endpoint per month is a catalogue setting provider_admin edits.
export class SeedPlanCatalogue1764300000001 implements MigrationInterface {
  name = 'SeedPlanCatalogue1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO contracts.plan (code, version, name, name_ja, hours_allowed, initial_fee, monthly_fee, per_endpoint_monthly_fee, quote_only, liveness_included, effective_from) VALUES
      ('FE_ALERT_ANALYSIS', 1, 'FireEye alert analysis', 'FEアラート分析サービス', '{BUSINESS_HOURS,ALWAYS}', 150000, 150000, NULL, false, false, '2017-02-01T00:00:00+09:00'),
      ('FE_SECURITY_MONITORING', 1, 'FireEye security monitoring (MSS)', 'FEセキュリティ監視サービス', '{ALWAYS}', 480000, 480000, NULL, false, true, '2017-02-01T00:00:00+09:00'),
      ('MDR', 1, 'Managed detection and response', 'MDRサービス', '{ALWAYS}', NULL, NULL, 1500, false, false, '2017-02-01T00:00:00+09:00'),
      ('INTEGRATED_MANAGEMENT', 1, 'Integrated security management (SIEM)', '統合セキュリティ管理サービス', '{ALWAYS}', NULL, NULL, NULL, true, true, '2017-02-01T00:00:00+09:00'),
      ('SOC_DESIGN', 1, 'SOC design consulting', 'SOC設計コンサルティング', '{}', NULL, NULL, NULL, true, false, '2017-02-01T00:00:00+09:00')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM contracts.plan WHERE version = 1`);
  }
}
