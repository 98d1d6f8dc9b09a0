import { MigrationInterface, QueryRunner } from 'typeorm';

// Binding a source address or a mail sender to a sensor decides whose data arriving traffic is:
// customers and partners request it, provider staff decide (address_binding_request). A sensor
// may also be bound to the TLS client certificates its device presents (SHA-256 fingerprints),
// and refuse syslog over UDP (accept_udp), whose source address anyone can forge.
export class IngestionAddressBindings1764800000001 implements MigrationInterface {
  name = 'IngestionAddressBindings1764800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ingestion.address_binding_request (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      sensor_id uuid NOT NULL REFERENCES ingestion.sensor (id),
      customer_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('SOURCE_IP', 'SENDER')),
      address text NOT NULL,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
      requested_by text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by text,
      decided_at timestamptz,
      note text
    )`);
    await q.query(`CREATE INDEX address_binding_request_customer_idx ON ingestion.address_binding_request (customer_id, requested_at DESC)`);
    await q.query(`CREATE UNIQUE INDEX address_binding_request_pending_key ON ingestion.address_binding_request (sensor_id, kind, address) WHERE status = 'PENDING'`);
    await q.query(`ALTER TABLE ingestion.sensor ADD COLUMN client_cert_fingerprints text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE ingestion.sensor ADD COLUMN accept_udp boolean NOT NULL DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion.sensor DROP COLUMN accept_udp`);
    await q.query(`ALTER TABLE ingestion.sensor DROP COLUMN client_cert_fingerprints`);
    await q.query(`DROP TABLE ingestion.address_binding_request`);
  }
}
