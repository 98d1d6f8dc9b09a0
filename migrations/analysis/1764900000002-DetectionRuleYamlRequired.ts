import { MigrationInterface, QueryRunner } from 'typeorm';

// Every rule now has its YAML: the JSON condition goes.
export class DetectionRuleYamlRequired1764900000002 implements MigrationInterface {
  name = 'DetectionRuleYamlRequired1764900000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analysis.detection_rule ALTER COLUMN yaml SET NOT NULL, ALTER COLUMN level SET NOT NULL, DROP COLUMN condition`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analysis.detection_rule ADD COLUMN condition jsonb, ALTER COLUMN yaml DROP NOT NULL, ALTER COLUMN level DROP NOT NULL`);
  }
}
