import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { SocSeverity } from '@kanshi/events';
import { decodeCursor, TenantDirectory } from '@kanshi/platform';
import { IncidentEntity } from './incident.entity';
import { IncidentFilter } from './incident-filter.input';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPEN = `i.status NOT IN ('RESOLVED', 'CLOSED')`;

export type IncidentOrder = 'NEWEST' | 'SLA_DUE';

export interface IncidentVerdictRow {
  verdictId: string;
  incidentId: string;
  severity: SocSeverity;
  alertIds: string[];
}

@Injectable()
export class IncidentsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // NEWEST: newest first, keyset on (created_at, id). SLA_DUE (the analysts' queue): open incidents
  // whose clocks run, the soonest due first (keyset on (next_due_at, id)); paused or met ones last is
  // not needed: they have no next due time and are left out of that order.
  page(scope: TenantScope, filter: IncidentFilter, limit: number, after?: string, order: IncidentOrder = 'NEWEST'): Promise<IncidentEntity[]> {
    const qb = this.ds.getRepository(IncidentEntity).createQueryBuilder('i').limit(limit);
    if (order === 'SLA_DUE') qb.where('i.next_due_at IS NOT NULL').orderBy('i.next_due_at', 'ASC').addOrderBy('i.id', 'ASC');
    else qb.orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'DESC');
    this.directory.applyScope(qb, scope, 'i.customer_id');
    if (filter.customerId) qb.andWhere('i.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.severity) qb.andWhere('i.severity = :severity', { severity: filter.severity });
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    if (filter.kind) qb.andWhere('i.kind = :kind', { kind: filter.kind });
    if (filter.open) qb.andWhere(OPEN);
    if (filter.assignee) qb.andWhere('(i.tier1_assignee = :assignee OR i.tier2_assignee = :assignee)', { assignee: filter.assignee });
    if (filter.breached) qb.andWhere('(i.analysis_breached OR i.first_report_breached OR i.detailed_report_breached)');
    if (filter.from) qb.andWhere('i.created_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('i.created_at < :to', { to: filter.to });
    if (after) {
      const c = decodeCursor(after);
      if (order === 'SLA_DUE') qb.andWhere('(i.next_due_at, i.id) > (:afterAt, :afterId)', { afterAt: c.sortKey, afterId: c.id });
      else qb.andWhere('(i.created_at, i.id) < (:afterAt, :afterId)', { afterAt: c.sortKey, afterId: c.id });
    }
    return qb.getMany();
  }

  // A malformed id matches nothing (and never reaches PostgreSQL as a bad uuid).
  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<IncidentEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds.getRepository(IncidentEntity).createQueryBuilder('i').where('i.id IN (:...ids)', { ids: valid });
    this.directory.applyScope(qb, scope, 'i.customer_id');
    return qb.getMany();
  }

  // One incident the caller may see, read in the caller's transaction (no lock: the update checks
  // the version it read). null when missing, malformed or another tenant's.
  async visible(em: EntityManager, scope: TenantScope, id: string): Promise<IncidentEntity | null> {
    if (!UUID.test(id)) return null;
    const qb = em.getRepository(IncidentEntity).createQueryBuilder('i').where('i.id = :id', { id });
    this.directory.applyScope(qb, scope, 'i.customer_id');
    return qb.getOne();
  }

  // For the service's own work (consumers, scheduler): the row locked until the transaction ends.
  async lock(em: EntityManager, id: string): Promise<IncidentEntity | null> {
    if (!UUID.test(id)) return null;
    return em.getRepository(IncidentEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  // lock() of many incidents in one read, in the order of their ids: every writer that locks several
  // incidents at once takes them in that order, so two such writers wait for each other instead of
  // deadlocking. Missing or malformed ids are left out.
  lockMany(em: EntityManager, ids: readonly string[]): Promise<IncidentEntity[]> {
    const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
    if (!valid.length) return Promise.resolve([]);
    return em.getRepository(IncidentEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.id IN (:...ids)', { ids: valid }).orderBy('i.id').getMany();
  }

  // The open incident of an alert group, locked (at most one: a unique partial index).
  openOfGroup(em: EntityManager, groupId: string): Promise<IncidentEntity | null> {
    return em.getRepository(IncidentEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.group_id = :groupId', { groupId }).andWhere(OPEN).getOne();
  }

  // openOfGroup() of many groups, and the merged-away incidents of those groups (CLOSED with
  // `merged_into`, which send a group's verdicts to the surviving incident), locked, in one read.
  openOrMergedOfGroups(em: EntityManager, groupIds: readonly string[]): Promise<IncidentEntity[]> {
    if (!groupIds.length) return Promise.resolve([]);
    return em
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.group_id IN (:...groupIds)', { groupIds })
      .andWhere(`(${OPEN} OR i.merged_into IS NOT NULL)`)
      .orderBy('i.id') // the lock order of lockMany()
      .getMany();
  }

  // Where an alert group's incident went when it was merged away: the group's latest incident
  // merged into another (CLOSED with `merged_into`), followed along the merge pointers to the
  // incident that survived, locked. null when the group has no merged incident, or the survivor
  // is itself finished (then the group opens a new one, as for any finished incident).
  async survivorOfGroup(em: EntityManager, groupId: string): Promise<IncidentEntity | null> {
    const rows: { merged_into: string }[] = await em.query(
      `SELECT merged_into FROM incident.incident WHERE group_id = $1 AND merged_into IS NOT NULL ORDER BY closed_at DESC NULLS LAST, created_at DESC LIMIT 1`,
      [groupId],
    );
    let next = rows[0]?.merged_into ?? null;
    // merges only go into open incidents, so the chain is short and has no cycle; bounded anyway
    for (let hop = 0; next && hop < 20; hop++) {
      const i = await this.lock(em, next);
      if (!i) return null;
      if (!i.mergedInto) return i.status === 'RESOLVED' || i.status === 'CLOSED' ? null : i;
      next = i.mergedInto;
    }
    return null;
  }

  // The open availability incident of a sensor, locked.
  openAvailabilityOf(em: EntityManager, sensorId: string): Promise<IncidentEntity | null> {
    return em
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where(`i.kind = 'AVAILABILITY' AND i.sensor_id = :sensorId`, { sensorId })
      .andWhere(OPEN)
      .getOne();
  }

  insert(em: EntityManager, values: Partial<IncidentEntity>): Promise<IncidentEntity> {
    const repo = em.getRepository(IncidentEntity);
    return repo.save(repo.create(values));
  }

  // insert() of many incidents in one statement (ids chosen by the caller or generated); the
  // entities come back with their defaults (status, version, timestamps), in the order given.
  async insertMany(em: EntityManager, values: readonly Partial<IncidentEntity>[]): Promise<IncidentEntity[]> {
    if (!values.length) return [];
    const repo = em.getRepository(IncidentEntity);
    const entities = values.map((v) => repo.create(v));
    await em.createQueryBuilder().insert().into(IncidentEntity).values(entities).execute();
    return entities;
  }

  // The verdict intake's write of incidents it locked (openOrMergedOfGroups) whose severity verdicts
  // raised: severity, each row's version bumped, in one statement (the new versions are set on the
  // entities). Throws when a row moved on in between (it cannot under the lock).
  async saveSeverities(em: EntityManager, incidents: readonly IncidentEntity[]): Promise<void> {
    if (!incidents.length) return;
    const [rows]: [{ id: string; version: number; updated_at: Date }[], number] = await em.query(
      `UPDATE incident.incident i SET severity = u.severity, version = i.version + 1, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::text[]) AS u(id, v, severity)
       WHERE i.id = u.id AND i.version = u.v
       RETURNING i.id, i.version, i.updated_at`,
      [incidents.map((i) => i.id), incidents.map((i) => i.version), incidents.map((i) => i.severity)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const i of incidents) {
      const r = byId.get(i.id);
      if (!r) throw new Error(`incident ${i.id} changed under the verdict intake's lock`);
      i.version = r.version;
      i.updatedAt = r.updated_at;
    }
  }

  // Writes every changed column when the row still has the version that was read, and bumps it;
  // false when someone else wrote in between.
  async update(em: EntityManager, incident: IncidentEntity, readVersion: number): Promise<boolean> {
    const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...values } = incident;
    const r = await em
      .createQueryBuilder()
      .update(IncidentEntity)
      .set({ ...values, version: () => 'version + 1' })
      .where('id = :id AND version = :readVersion', { id: incident.id, readVersion })
      .returning('version, updated_at')
      .execute();
    if (!r.affected) return false;
    const raw = (r.raw as { version: number; updated_at: Date }[])[0];
    incident.version = raw.version;
    incident.updatedAt = raw.updated_at;
    return true;
  }

  // The SLA scheduler's write of incidents it locked with due(): breach flags and next due time,
  // each row's version bumped (in one statement; the new versions are set on the entities).
  async saveSlaState(em: EntityManager, incidents: IncidentEntity[]): Promise<void> {
    if (!incidents.length) return;
    // (TypeORM answers an UPDATE with [rows, count])
    const [rows]: [{ id: string; version: number; updated_at: Date }[], number] = await em.query(
      `UPDATE incident.incident i SET analysis_breached = u.ab, first_report_breached = u.fb, detailed_report_breached = u.db, next_due_at = u.nd,
         version = i.version + 1, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::boolean[], $4::boolean[], $5::boolean[], $6::timestamptz[]) AS u(id, v, ab, fb, db, nd)
       WHERE i.id = u.id AND i.version = u.v
       RETURNING i.id, i.version, i.updated_at`,
      [
        incidents.map((i) => i.id),
        incidents.map((i) => i.version),
        incidents.map((i) => i.analysisBreached),
        incidents.map((i) => i.firstReportBreached),
        incidents.map((i) => i.detailedReportBreached),
        incidents.map((i) => i.nextDueAt),
      ],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const i of incidents) {
      const r = byId.get(i.id);
      // due() locked the rows, so nobody can have written them in between
      if (!r) throw new Error(`incident ${i.id} changed under the SLA scheduler's lock`);
      i.version = r.version;
      i.updatedAt = r.updated_at;
    }
  }

  // The mail recorder's write of incidents it locked (lockMany) that delivered mails notified: the
  // status, the first-report clock and the next due time, each row's version bumped, in one
  // statement (the new versions are set on the entities).
  async saveNotified(em: EntityManager, incidents: readonly IncidentEntity[]): Promise<void> {
    if (!incidents.length) return;
    const [rows]: [{ id: string; version: number; updated_at: Date }[], number] = await em.query(
      `UPDATE incident.incident i SET status = u.status, first_report_met_at = u.fm, next_due_at = u.nd, version = i.version + 1, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS u(id, v, status, fm, nd)
       WHERE i.id = u.id AND i.version = u.v
       RETURNING i.id, i.version, i.updated_at`,
      [incidents.map((i) => i.id), incidents.map((i) => i.version), incidents.map((i) => i.status), incidents.map((i) => i.firstReportMetAt), incidents.map((i) => i.nextDueAt)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const i of incidents) {
      const r = byId.get(i.id);
      if (!r) throw new Error(`incident ${i.id} changed under the mail recorder's lock`);
      i.version = r.version;
      i.updatedAt = r.updated_at;
    }
  }

  // Incidents with a clock due at `now` not yet reported, locked, skipping rows another replica holds.
  due(em: EntityManager, now: Date, limit: number): Promise<IncidentEntity[]> {
    return em
      .getRepository(IncidentEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('i.next_due_at <= :now', { now })
      .orderBy('i.next_due_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  // The bare indexed due-clock query (the benchmark's baseline).
  async countDue(now: Date): Promise<number> {
    const rows: { n: string }[] = await this.ds.query(`SELECT count(*) AS n FROM (SELECT id FROM incident.incident WHERE next_due_at <= $1 LIMIT 500) d`, [now]);
    return Number(rows[0].n);
  }

  // --- SLA pauses (the intervals, for reports; the incident row holds the running one) ---

  async startPause(em: EntityManager, incidentId: string, at: Date, reason: string, by: string): Promise<void> {
    await em.query(`INSERT INTO incident.sla_pause (incident_id, started_at, reason, started_by) VALUES ($1, $2, $3, $4)`, [incidentId, at, reason, by]);
  }

  async endPause(em: EntityManager, incidentId: string, at: Date): Promise<void> {
    await em.query(`UPDATE incident.sla_pause SET ended_at = $2 WHERE incident_id = $1 AND ended_at IS NULL`, [incidentId, at]);
  }

  async pausesOf(incidentIds: readonly string[]): Promise<Map<string, { startedAt: Date; endedAt: Date | null; reason: string }[]>> {
    const out = new Map<string, { startedAt: Date; endedAt: Date | null; reason: string }[]>(incidentIds.map((id) => [id, []]));
    if (!incidentIds.length) return out;
    const rows: { incident_id: string; started_at: Date; ended_at: Date | null; reason: string }[] = await this.ds.query(
      `SELECT incident_id, started_at, ended_at, reason FROM incident.sla_pause WHERE incident_id = ANY($1::uuid[]) ORDER BY started_at, id`,
      [incidentIds],
    );
    for (const r of rows) out.get(r.incident_id)?.push({ startedAt: new Date(r.started_at), endedAt: r.ended_at ? new Date(r.ended_at) : null, reason: r.reason });
    return out;
  }

  // --- verdicts and alerts joined to incidents ---

  async verdict(em: EntityManager, verdictId: string): Promise<IncidentVerdictRow | null> {
    const rows: RawVerdict[] = await em.query(`SELECT verdict_id, incident_id, severity, alert_ids FROM incident.incident_verdict WHERE verdict_id = $1`, [verdictId]);
    return rows[0] ? toVerdict(rows[0]) : null;
  }

  // What is known of these verdicts, in one read: the ones joined to an incident (with their
  // severity), and the ids of those counted as LOW.
  async knownVerdicts(em: EntityManager, verdictIds: readonly string[]): Promise<{ joined: Map<string, IncidentVerdictRow>; low: Set<string> }> {
    const out = { joined: new Map<string, IncidentVerdictRow>(), low: new Set<string>() };
    const ids = verdictIds.filter((id) => UUID.test(id));
    if (!ids.length) return out;
    const rows: (RawVerdict & { low: boolean })[] = await em.query(
      `SELECT verdict_id, incident_id, severity, alert_ids, false AS low FROM incident.incident_verdict WHERE verdict_id = ANY($1::uuid[])
       UNION ALL SELECT verdict_id, NULL, 'LOW', alert_ids, true FROM incident.low_verdict WHERE verdict_id = ANY($1::uuid[])`,
      [ids],
    );
    for (const r of rows) {
      if (r.low) out.low.add(r.verdict_id);
      else out.joined.set(r.verdict_id, toVerdict(r));
    }
    return out;
  }

  // upsertVerdict() of many verdicts (each id once) in one statement.
  async upsertVerdicts(em: EntityManager, rows: readonly (IncidentVerdictRow & { decidedAt: string })[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO incident.incident_verdict (verdict_id, incident_id, severity, alert_ids, decided_at)
       SELECT u.verdict_id, u.incident_id, u.severity, ARRAY(SELECT jsonb_array_elements_text(u.alert_ids))::uuid[], u.decided_at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::timestamptz[]) AS u(verdict_id, incident_id, severity, alert_ids, decided_at)
       ON CONFLICT (verdict_id) DO UPDATE SET severity = EXCLUDED.severity, alert_ids = EXCLUDED.alert_ids`,
      [rows.map((r) => r.verdictId), rows.map((r) => r.incidentId), rows.map((r) => r.severity), rows.map((r) => JSON.stringify(r.alertIds)), rows.map((r) => r.decidedAt)],
    );
  }

  async upsertVerdict(em: EntityManager, row: IncidentVerdictRow, decidedAt: string): Promise<void> {
    await em.query(
      `INSERT INTO incident.incident_verdict (verdict_id, incident_id, severity, alert_ids, decided_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (verdict_id) DO UPDATE SET severity = EXCLUDED.severity, alert_ids = EXCLUDED.alert_ids`,
      [row.verdictId, row.incidentId, row.severity, row.alertIds, decidedAt],
    );
  }

  // verdictsOf() of many incidents, by incident.
  async verdictsOfMany(em: EntityManager, incidentIds: readonly string[]): Promise<Map<string, IncidentVerdictRow[]>> {
    const out = new Map<string, IncidentVerdictRow[]>(incidentIds.map((id) => [id, []]));
    if (!incidentIds.length) return out;
    const rows: RawVerdict[] = await em.query(
      `SELECT verdict_id, incident_id, severity, alert_ids FROM incident.incident_verdict WHERE incident_id = ANY($1::uuid[]) ORDER BY incident_id, decided_at, verdict_id`,
      [incidentIds],
    );
    for (const r of rows) out.get(r.incident_id)?.push(toVerdict(r));
    return out;
  }

  async verdictsOf(em: EntityManager, incidentId: string): Promise<IncidentVerdictRow[]> {
    const rows: RawVerdict[] = await em.query(
      `SELECT verdict_id, incident_id, severity, alert_ids FROM incident.incident_verdict WHERE incident_id = $1 ORDER BY decided_at, verdict_id`,
      [incidentId],
    );
    return rows.map(toVerdict);
  }

  async moveVerdicts(em: EntityManager, fromIncidentId: string, toIncidentId: string): Promise<void> {
    await em.query(`UPDATE incident.incident_verdict SET incident_id = $2 WHERE incident_id = $1`, [fromIncidentId, toIncidentId]);
  }

  // Alert ids per incident, in the order their verdicts came (for Incident.alerts).
  async alertIdsOf(incidentIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(incidentIds.map((id) => [id, []]));
    if (!incidentIds.length) return out;
    const rows: { incident_id: string; alert_ids: string[] }[] = await this.ds.query(
      `SELECT incident_id, alert_ids FROM incident.incident_verdict WHERE incident_id = ANY($1::uuid[]) ORDER BY decided_at, verdict_id`,
      [incidentIds],
    );
    for (const r of rows) {
      const list = out.get(r.incident_id)!;
      for (const a of r.alert_ids) if (!list.includes(a)) list.push(a);
    }
    return out;
  }
}

interface RawVerdict {
  verdict_id: string;
  incident_id: string;
  severity: SocSeverity;
  alert_ids: string[];
}
const toVerdict = (r: RawVerdict): IncidentVerdictRow => ({ verdictId: r.verdict_id, incidentId: r.incident_id, severity: r.severity, alertIds: r.alert_ids });
