import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface KnownSensor {
  sensorId: string;
  customerId: string;
  product: string;
  name: string;
}

@Injectable()
export class SensorsRepository {
  async upsert(em: EntityManager, sensor: KnownSensor, occurredAt: string): Promise<void> {
    await em.query(
      `INSERT INTO incident.sensor (sensor_id, customer_id, product, name, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sensor_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, product = EXCLUDED.product, name = EXCLUDED.name, updated_at = EXCLUDED.updated_at
       WHERE incident.sensor.updated_at <= EXCLUDED.updated_at`,
      [sensor.sensorId, sensor.customerId, sensor.product, sensor.name, occurredAt],
    );
  }

  // The version ingestion saw in the sensor's events (ingestion.sensor.version-changed.v1); a version
  // seen earlier than the one kept never replaces it. A sensor not registered here yet is kept
  // with its id for a name until its registration arrives (updated_at -infinity: any registration wins).
  async setVersion(em: EntityManager, v: { sensorId: string; customerId: string; product: string; version: string; seenAt: string }): Promise<void> {
    await em.query(
      `INSERT INTO incident.sensor (sensor_id, customer_id, product, name, updated_at, product_version, product_version_seen_at) VALUES ($1, $2, $3, $6, '-infinity', $4, $5)
       ON CONFLICT (sensor_id) DO UPDATE SET product_version = EXCLUDED.product_version, product_version_seen_at = EXCLUDED.product_version_seen_at
       WHERE incident.sensor.product_version_seen_at IS NULL OR incident.sensor.product_version_seen_at <= EXCLUDED.product_version_seen_at`,
      [v.sensorId, v.customerId, v.product, v.version, v.seenAt, v.sensorId],
    );
  }

  // The sensor's liveness as its last liveness change said (a sensor not registered here yet is skipped).
  async setLiveness(em: EntityManager, sensorId: string, status: 'UP' | 'DOWN', at: Date): Promise<void> {
    await em.query(`UPDATE incident.sensor SET liveness = $2, liveness_at = $3 WHERE sensor_id = $1`, [sensorId, status, at]);
  }

  // The customer's sensors (or the one) whose last liveness change was DOWN.
  async downOf(em: EntityManager, customerId: string, sensorId: string | null): Promise<string[]> {
    const rows: { sensor_id: string }[] = await em.query(
      `SELECT sensor_id FROM incident.sensor WHERE customer_id = $1 AND ($2::uuid IS NULL OR sensor_id = $2) AND liveness = 'DOWN' ORDER BY sensor_id`,
      [customerId, sensorId],
    );
    return rows.map((r) => r.sensor_id);
  }

  async versionOf(em: EntityManager, sensorId: string): Promise<string | null> {
    const rows: { product_version: string | null }[] = await em.query(`SELECT product_version FROM incident.sensor WHERE sensor_id = $1`, [sensorId]);
    return rows[0]?.product_version ?? null;
  }

  async byId(em: EntityManager, sensorId: string): Promise<KnownSensor | null> {
    const rows: { sensor_id: string; customer_id: string; product: string; name: string }[] = await em.query(
      `SELECT sensor_id, customer_id, product, name FROM incident.sensor WHERE sensor_id = $1`,
      [sensorId],
    );
    return rows[0] ? { sensorId: rows[0].sensor_id, customerId: rows[0].customer_id, product: rows[0].product, name: rows[0].name } : null;
  }
}
