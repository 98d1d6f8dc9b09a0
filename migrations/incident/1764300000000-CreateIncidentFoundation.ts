import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesV1 } from '@kanshi/database';

export class CreateIncidentFoundation1764300000000 implements MigrationInterface {
  name = 'CreateIncidentFoundation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of messagingTablesV1('incident').up) await q.query(sql);
    await q.query(`CREATE TABLE incident.incident (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      severity text NOT NULL CHECK (severity IN ('HIGH', 'MEDIUM', 'LOW')),
      status text NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'TRIAGED', 'NOTIFIED', 'CONTAINED', 'RESOLVED', 'CLOSED')),
      title text NOT NULL,
      description text NOT NULL DEFAULT '',
      opened_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX incident_customer_created_idx ON incident.incident (customer_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX incident_created_idx ON incident.incident (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE incident.incident`);
    for (const sql of messagingTablesV1('incident').down) await q.query(sql);
  }
}
