import { MigrationInterface, QueryRunner } from 'typeorm';

// Starting rules from the service description: what the SOC treats as high, medium and low.
export class SeedDetectionRules1764300000001 implements MigrationInterface {
  name = 'SeedDetectionRules1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO analysis.detection_rule (name, description, products, severity, condition, created_by) VALUES
      ('Critical or high vendor severity, not blocked', 'The sensor rated it high and did not prevent it: a possible breach.', '{}', 'HIGH', '{"field":"event.severity","gte":73,"and":{"field":"kanshi.blocked","eq":false}}', 'seed'),
      ('Malware prevented, threat remains on endpoint', 'Prevented, but the endpoint still carries the threat (e.g. malware to remove).', '{}', 'MEDIUM', '{"field":"event.severity","gte":47,"and":{"field":"kanshi.blocked","eq":true}}', 'seed'),
      ('Low severity for monthly statistics', 'Little or no effect on the customer''s assets: counted in the monthly report.', '{}', 'LOW', '{"field":"event.severity","lte":46}', 'seed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM analysis.detection_rule WHERE created_by = 'seed'`);
  }
}
