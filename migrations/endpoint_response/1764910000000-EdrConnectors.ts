import { MigrationInterface, QueryRunner } from 'typeorm';

// One EDR connector per customer and product: where its console is, the credential (the secret
// only encrypted, see CredentialsCipher), Carbon Black's org key, the ingestion sensor its pulled
// detections belong to, and its health.
export class EdrConnectors1764910000000 implements MigrationInterface {
  name = 'EdrConnectors1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE endpoint_response.edr_connector (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL,
      product text NOT NULL CHECK (product IN ('CROWDSTRIKE_FALCON', 'CARBON_BLACK', 'CYBEREASON', 'FIREEYE_HX')),
      base_url text NOT NULL,
      client_id text NOT NULL,
      secret_ciphertext text NOT NULL,
      org_key text,
      sensor_id uuid,
      health text NOT NULL DEFAULT 'UNKNOWN' CHECK (health IN ('UNKNOWN', 'HEALTHY', 'UNHEALTHY')),
      last_error text,
      checked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (customer_id, product)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE endpoint_response.edr_connector`);
  }
}
