import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TimelineVisibility } from './timeline-visibility';

export interface TimelineRow {
  incidentId: string;
  at: Date;
  kind: string;
  actor: string;
  text: string;
  visibility: TimelineVisibility;
}

@Injectable()
export class TimelineRepository {
  constructor(private readonly ds: DataSource) {}

  async insert(em: EntityManager, row: TimelineRow): Promise<void> {
    await em.query(`INSERT INTO incident.timeline_entry (incident_id, at, kind, actor, text, visibility) VALUES ($1, $2, $3, $4, $5, $6)`, [
      row.incidentId,
      row.at,
      row.kind,
      row.actor,
      row.text,
      row.visibility,
    ]);
  }

  // Many entries in one statement (the SLA scheduler's breaches).
  async insertMany(em: EntityManager, rows: readonly TimelineRow[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO incident.timeline_entry (incident_id, at, kind, actor, text, visibility)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [rows.map((r) => r.incidentId), rows.map((r) => r.at), rows.map((r) => r.kind), rows.map((r) => r.actor), rows.map((r) => r.text), rows.map((r) => r.visibility)],
    );
  }

  // latest() for many incidents in the caller's transaction, by incident.
  async latestOf(em: EntityManager, incidentIds: readonly string[], limit: number, customerView = false): Promise<Map<string, TimelineRow[]>> {
    const out = new Map<string, TimelineRow[]>(incidentIds.map((id) => [id, []]));
    if (!incidentIds.length) return out;
    const rows: RawRow[] = await em.query(
      `SELECT t.* FROM unnest($1::uuid[]) AS i(id) CROSS JOIN LATERAL (
         SELECT * FROM (SELECT id, incident_id, at, kind, actor, text, visibility FROM incident.timeline_entry e
           WHERE e.incident_id = i.id AND ($3::boolean IS FALSE OR e.visibility = 'CUSTOMER') ORDER BY at DESC, id DESC LIMIT $2) x ORDER BY at, id) t`,
      [incidentIds, limit, customerView],
    );
    for (const r of rows) out.get(r.incident_id)?.push(toRow(r));
    return out;
  }

  // The latest `limit` entries of one incident, oldest first (what the snapshot event carries);
  // customerView: CUSTOMER entries only.
  async latest(em: EntityManager, incidentId: string, limit: number, customerView = false): Promise<TimelineRow[]> {
    const rows: RawRow[] = await em.query(
      `SELECT * FROM (SELECT id, incident_id, at, kind, actor, text, visibility FROM incident.timeline_entry WHERE incident_id = $1 AND ($3::boolean IS FALSE OR visibility = 'CUSTOMER') ORDER BY at DESC, id DESC LIMIT $2) t ORDER BY at, id`,
      [incidentId, limit, customerView],
    );
    return rows.map(toRow);
  }

  // Every entry of these incidents, oldest first, grouped by incident (at most `limit` per incident).
  async forIncidents(incidentIds: readonly string[], limit: number, customerView = false): Promise<Map<string, TimelineRow[]>> {
    const out = new Map<string, TimelineRow[]>(incidentIds.map((id) => [id, []]));
    if (!incidentIds.length) return out;
    const rows: RawRow[] = await this.ds.query(
      `SELECT t.* FROM unnest($1::uuid[]) AS i(id) CROSS JOIN LATERAL (
         SELECT * FROM (SELECT id, incident_id, at, kind, actor, text, visibility FROM incident.timeline_entry e
           WHERE e.incident_id = i.id AND ($3::boolean IS FALSE OR e.visibility = 'CUSTOMER') ORDER BY at DESC, id DESC LIMIT $2) x ORDER BY at, id) t`,
      [incidentIds, limit, customerView],
    );
    for (const r of rows) out.get(r.incident_id)?.push(toRow(r));
    return out;
  }

  // Moves one incident's entries to another (merging two incidents joins their timelines).
  async moveAll(em: EntityManager, fromIncidentId: string, toIncidentId: string): Promise<void> {
    await em.query(`UPDATE incident.timeline_entry SET incident_id = $2 WHERE incident_id = $1`, [fromIncidentId, toIncidentId]);
  }
}

interface RawRow {
  incident_id: string;
  at: Date;
  kind: string;
  actor: string;
  text: string;
  visibility: TimelineVisibility;
}
const toRow = (r: RawRow): TimelineRow => ({ incidentId: r.incident_id, at: new Date(r.at), kind: r.kind, actor: r.actor, text: r.text, visibility: r.visibility });
