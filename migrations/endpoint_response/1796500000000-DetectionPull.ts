import { MigrationInterface, QueryRunner } from 'typeorm';

// Detections pulled from vendor APIs (docs/endpoint-response.md "Detections pulled"): the cursor of
// each pulled source (an EDR connector, a FireEye NX/CM appliance), written in the same
// transaction as the outbox rows of the detections it covers; and the FireEye appliances reached
// over a customer's VPN, their password only encrypted (the connectors' CredentialsCipher).
export class DetectionPull1796500000000 implements MigrationInterface {
  name = 'DetectionPull1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE endpoint_response.detection_pull_cursor (
      source text PRIMARY KEY,
      customer_id uuid NOT NULL,
      cursor text,
      pulled_count bigint NOT NULL DEFAULT 0,
      pulled_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE endpoint_response.fireeye_appliance (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      product text NOT NULL DEFAULT 'FIREEYE_NX' CHECK (product IN ('FIREEYE_NX', 'FIREEYE_CM', 'FIREEYE_EX')),
      base_url text NOT NULL,
      username text NOT NULL,
      password_ciphertext text NOT NULL,
      sensor_id uuid NOT NULL,
      health text NOT NULL DEFAULT 'UNKNOWN' CHECK (health IN ('UNKNOWN', 'HEALTHY', 'UNHEALTHY')),
      last_error text,
      checked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (customer_id, base_url)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE endpoint_response.fireeye_appliance`);
    await q.query(`DROP TABLE endpoint_response.detection_pull_cursor`);
  }
}
