import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface LowVerdict {
  verdictId: string;
  customerId: string;
  sensorId: string;
  groupId: string | null;
  title: string;
  alertIds: string[];
  decidedAt: Date;
  raisedIncidentId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// LOW verdicts: counted (one row per verdict) for the monthly statistics, raised by hand.
@Injectable()
export class IntakeRepository {
  constructor(private readonly ds: DataSource) {}

  async countLow(em: EntityManager, v: Omit<LowVerdict, 'raisedIncidentId'>): Promise<void> {
    await em.query(
      `INSERT INTO incident.low_verdict (verdict_id, customer_id, sensor_id, group_id, title, alert_ids, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (verdict_id) DO NOTHING`,
      [v.verdictId, v.customerId, v.sensorId, v.groupId, v.title, v.alertIds, v.decidedAt],
    );
  }

  // countLow() of many verdicts in one statement.
  async countLowMany(em: EntityManager, vs: readonly Omit<LowVerdict, 'raisedIncidentId'>[]): Promise<void> {
    if (!vs.length) return;
    await em.query(
      `INSERT INTO incident.low_verdict (verdict_id, customer_id, sensor_id, group_id, title, alert_ids, decided_at)
       SELECT u.verdict_id, u.customer_id, u.sensor_id, u.group_id, u.title, ARRAY(SELECT jsonb_array_elements_text(u.alert_ids))::uuid[], u.decided_at
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::jsonb[], $7::timestamptz[]) AS u(verdict_id, customer_id, sensor_id, group_id, title, alert_ids, decided_at)
       ON CONFLICT (verdict_id) DO NOTHING`,
      [vs.map((v) => v.verdictId), vs.map((v) => v.customerId), vs.map((v) => v.sensorId), vs.map((v) => v.groupId), vs.map((v) => v.title), vs.map((v) => JSON.stringify(v.alertIds)), vs.map((v) => v.decidedAt)],
    );
  }

  async low(em: EntityManager, verdictId: string, lock = false): Promise<LowVerdict | null> {
    if (!UUID.test(verdictId)) return null;
    const rows: RawLow[] = await em.query(`SELECT * FROM incident.low_verdict WHERE verdict_id = $1${lock ? ' FOR UPDATE' : ''}`, [verdictId]);
    return rows[0] ? toLow(rows[0]) : null;
  }

  async markRaised(em: EntityManager, verdictId: string, incidentId: string): Promise<void> {
    await em.query(`UPDATE incident.low_verdict SET raised_incident_id = $2 WHERE verdict_id = $1`, [verdictId, incidentId]);
  }

  // LOW verdicts per customer in [from, to) (the monthly statistics).
  async lowCount(customerId: string, from: Date, to: Date): Promise<number> {
    const rows: { n: string }[] = await this.ds.query(`SELECT count(*) AS n FROM incident.low_verdict WHERE customer_id = $1 AND decided_at >= $2 AND decided_at < $3`, [
      customerId,
      from,
      to,
    ]);
    return Number(rows[0].n);
  }
}

interface RawLow {
  verdict_id: string;
  customer_id: string;
  sensor_id: string;
  group_id: string | null;
  title: string;
  alert_ids: string[];
  decided_at: Date;
  raised_incident_id: string | null;
}
const toLow = (r: RawLow): LowVerdict => ({
  verdictId: r.verdict_id,
  customerId: r.customer_id,
  sensorId: r.sensor_id,
  groupId: r.group_id,
  title: r.title,
  alertIds: r.alert_ids,
  decidedAt: new Date(r.decided_at),
  raisedIncidentId: r.raised_incident_id,
});
