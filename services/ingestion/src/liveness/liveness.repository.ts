import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SensorStatus } from '@kanshi/events';

export interface SeenUpdate {
  sensorId: string;
  at: Date;
  // an event (not only a heartbeat) arrived: sets first_event_at once
  event: boolean;
}

export interface SeenResult {
  id: string;
  customer_id: string;
  previous_status: SensorStatus;
  last_seen_at: Date;
  first_event: boolean;
  first_event_at: Date | null;
}

export interface WentDown {
  id: string;
  customer_id: string;
  last_seen_at: Date;
}

@Injectable()
export class LivenessRepository {
  // Last seen moves forward only; the status becomes UP; the previous status and whether this
  // was the first event come back (rows locked, so two replicas cannot both see the change).
  async markSeen(em: EntityManager, updates: SeenUpdate[]): Promise<SeenResult[]> {
    if (updates.length === 0) return [];
    const sorted = [...updates].sort((a, b) => (a.sensorId < b.sensorId ? -1 : 1));
    // NO KEY UPDATE, not UPDATE: every alert insert holds a KEY SHARE lock on its sensor's row
    // (the foreign key) until its batch commits, and FOR UPDATE would queue behind those and
    // then hold up every later batch of the sensor (measured: 1.3 s stalls under load).
    // TypeORM answers an UPDATE with [rows, count]
    const [rows]: [SeenResult[], number] = await em.query(
      `WITH input AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::bool[]) AS t(id, seen, ev)),
       prev AS (SELECT s.id, s.status, s.first_event_at FROM ingestion.sensor s JOIN input i ON i.id = s.id
                WHERE s.revoked_at IS NULL ORDER BY s.id FOR NO KEY UPDATE OF s)
       UPDATE ingestion.sensor s SET
         last_seen_at = greatest(s.last_seen_at, i.seen),
         status = 'UP',
         status_changed_at = CASE WHEN p.status = 'UP' THEN s.status_changed_at ELSE i.seen END,
         first_event_at = CASE WHEN i.ev THEN coalesce(s.first_event_at, i.seen) ELSE s.first_event_at END
       FROM input i JOIN prev p ON p.id = i.id
       WHERE s.id = i.id
       RETURNING s.id, s.customer_id, p.status AS previous_status, s.last_seen_at,
                 (p.first_event_at IS NULL AND s.first_event_at IS NOT NULL) AS first_event, s.first_event_at`,
      [sorted.map((u) => u.sensorId), sorted.map((u) => u.at.toISOString()), sorted.map((u) => u.event)],
    );
    return rows;
  }

  // Sensors silent past their threshold go DOWN, each once.
  async markSilentDown(em: EntityManager, now: Date): Promise<WentDown[]> {
    const [rows]: [WentDown[], number] = await em.query(
      `UPDATE ingestion.sensor SET status = 'DOWN', status_changed_at = $1
       WHERE status = 'UP' AND revoked_at IS NULL AND last_seen_at < $1::timestamptz - make_interval(secs => silence_threshold_seconds)
       RETURNING id, customer_id, last_seen_at`,
      [now],
    );
    return rows;
  }
}
