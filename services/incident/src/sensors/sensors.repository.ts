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

  async byId(em: EntityManager, sensorId: string): Promise<KnownSensor | null> {
    const rows: { sensor_id: string; customer_id: string; product: string; name: string }[] = await em.query(
      `SELECT sensor_id, customer_id, product, name FROM incident.sensor WHERE sensor_id = $1`,
      [sensorId],
    );
    return rows[0] ? { sensorId: rows[0].sensor_id, customerId: rows[0].customer_id, product: rows[0].product, name: rows[0].name } : null;
  }
}
