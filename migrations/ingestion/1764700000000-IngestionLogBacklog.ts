import { MigrationInterface, QueryRunner } from 'typeorm';

// logs.received messages JetStream did not take (the server down, the stream gone): kept here
// and published again by the intake's backlog loop, so analysis does not silently miss them.
export class IngestionLogBacklog1764700000000 implements MigrationInterface {
  name = 'IngestionLogBacklog1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ingestion.log_backlog (
      event_id uuid PRIMARY KEY,
      sensor_id uuid NOT NULL,
      records int NOT NULL,
      payload bytea NOT NULL,
      correlation_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts int NOT NULL DEFAULT 0,
      last_error text
    )`);
    await q.query(`CREATE INDEX log_backlog_created_idx ON ingestion.log_backlog (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ingestion.log_backlog`);
  }
}
