import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface FireEyeApplianceRow {
  id: string;
  customerId: string;
  product: 'FIREEYE_NX' | 'FIREEYE_CM' | 'FIREEYE_EX';
  baseUrl: string;
  username: string;
  passwordCiphertext: string;
  sensorId: string;
  health: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  lastError: string | null;
  checkedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface FireEyeApplianceUpsert {
  customerId: string;
  product: FireEyeApplianceRow['product'];
  baseUrl: string;
  username: string;
  // null: keep the stored one
  passwordCiphertext: string | null;
  sensorId: string;
}

const APPLIANCE_COLUMNS = `id, customer_id AS "customerId", product, base_url AS "baseUrl", username, password_ciphertext AS "passwordCiphertext",
  sensor_id AS "sensorId", health, last_error AS "lastError", checked_at AS "checkedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

// All SQL of the detection pull: the cursors and the FireEye appliances.
@Injectable()
export class DetectionsRepository {
  constructor(private readonly ds: DataSource) {}

  // The source's cursor, its row locked until the caller's transaction ends: two pulls of one
  // source (a slow job and its retry, two replicas) run one after the other, never side by side.
  async lockCursor(em: EntityManager, source: string, customerId: string): Promise<string | null> {
    await em.query(`INSERT INTO endpoint_response.detection_pull_cursor (source, customer_id) VALUES ($1, $2) ON CONFLICT (source) DO NOTHING`, [source, customerId]);
    const [row] = (await em.query(`SELECT cursor FROM endpoint_response.detection_pull_cursor WHERE source = $1 FOR UPDATE`, [source])) as { cursor: string | null }[];
    return row.cursor;
  }

  async saveCursor(em: EntityManager, source: string, cursor: string | null, pulled: number, at: Date): Promise<void> {
    await em.query(
      `UPDATE endpoint_response.detection_pull_cursor SET cursor = COALESCE($2, cursor), pulled_count = pulled_count + $3, pulled_at = $4, updated_at = now() WHERE source = $1`,
      [source, cursor, pulled, at],
    );
  }

  async cursor(source: string): Promise<string | null> {
    const [row] = (await this.ds.query(`SELECT cursor FROM endpoint_response.detection_pull_cursor WHERE source = $1`, [source])) as { cursor: string | null }[];
    return row?.cursor ?? null;
  }

  // Creates or replaces the (customer, address) appliance; without a password only an existing one
  // is updated (its stored password kept): null when there is none.
  async upsertAppliance(a: FireEyeApplianceUpsert): Promise<FireEyeApplianceRow | null> {
    if (a.passwordCiphertext === null) {
      const [rows] = (await this.ds.query(
        `UPDATE endpoint_response.fireeye_appliance SET product = $3, username = $4, sensor_id = $5, health = 'UNKNOWN', last_error = NULL, updated_at = now()
         WHERE customer_id = $1 AND base_url = $2 RETURNING ${APPLIANCE_COLUMNS}`,
        [a.customerId, a.baseUrl, a.product, a.username, a.sensorId],
      )) as [FireEyeApplianceRow[], number];
      return rows[0] ?? null;
    }
    const rows = (await this.ds.query(
      `INSERT INTO endpoint_response.fireeye_appliance AS f (customer_id, product, base_url, username, password_ciphertext, sensor_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (customer_id, base_url) DO UPDATE SET product = EXCLUDED.product, username = EXCLUDED.username,
         password_ciphertext = EXCLUDED.password_ciphertext, sensor_id = EXCLUDED.sensor_id, health = 'UNKNOWN', last_error = NULL, updated_at = now()
       RETURNING ${APPLIANCE_COLUMNS}`,
      [a.customerId, a.product, a.baseUrl, a.username, a.passwordCiphertext, a.sensorId],
    )) as FireEyeApplianceRow[];
    return rows[0] ?? null;
  }

  async appliances(customerId?: string): Promise<FireEyeApplianceRow[]> {
    return (await this.ds.query(
      `SELECT ${APPLIANCE_COLUMNS} FROM endpoint_response.fireeye_appliance WHERE ($1::uuid IS NULL OR customer_id = $1) ORDER BY customer_id, base_url`,
      [customerId ?? null],
    )) as FireEyeApplianceRow[];
  }

  async appliance(id: string): Promise<FireEyeApplianceRow | null> {
    const [row] = (await this.ds.query(`SELECT ${APPLIANCE_COLUMNS} FROM endpoint_response.fireeye_appliance WHERE id = $1`, [id])) as FireEyeApplianceRow[];
    return row ?? null;
  }

  // UNHEALTHY with the appliance's message, in the caller's transaction; the health it had before.
  async turnApplianceUnhealthy(em: EntityManager, id: string, lastError: string, at: Date): Promise<FireEyeApplianceRow['health'] | null> {
    const [rows] = (await em.query(
      `WITH prev AS (SELECT id, health FROM endpoint_response.fireeye_appliance WHERE id = $1 FOR UPDATE)
       UPDATE endpoint_response.fireeye_appliance f SET health = 'UNHEALTHY', last_error = $2, checked_at = $3 FROM prev WHERE f.id = prev.id RETURNING prev.health AS previous`,
      [id, lastError, at],
    )) as [{ previous: FireEyeApplianceRow['health'] }[], number];
    return rows[0]?.previous ?? null;
  }

  async setApplianceHealth(id: string, health: FireEyeApplianceRow['health'], lastError: string | null, at: Date): Promise<void> {
    await this.ds.query(`UPDATE endpoint_response.fireeye_appliance SET health = $2, last_error = $3, checked_at = $4 WHERE id = $1`, [id, health, lastError, at]);
  }
}
