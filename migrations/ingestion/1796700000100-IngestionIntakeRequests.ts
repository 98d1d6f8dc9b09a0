import { MigrationInterface, QueryRunner } from 'typeorm';

// Idempotent intake (issue 16 item 0): one row per request a sensor's batch was stored for, keyed
// per sensor by the request's key (an HTTPS Idempotency-Key, a digest of the body, a mail's
// Message-ID), with the first answer. Written in the batch's own transaction, so a committed batch
// always has its key and a rolled-back one never does; a resend finds it and stores nothing.
export class IngestionIntakeRequests1796700000100 implements MigrationInterface {
  name = 'IngestionIntakeRequests1796700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ingestion.intake_request (
      sensor_id uuid NOT NULL,
      request_key text NOT NULL,
      customer_id uuid NOT NULL,
      transport text NOT NULL,
      -- SHA-256 (hex) of what the key stands for: the same key with another body is refused
      body_digest text NOT NULL,
      status int NOT NULL,
      answer json NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (sensor_id, request_key)
    )`);
    await q.query(`CREATE INDEX intake_request_expires_idx ON ingestion.intake_request (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ingestion.intake_request`);
  }
}
