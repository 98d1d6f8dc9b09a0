import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { SuppressionCondition } from './suppression-conditions';
import { SuppressionEntity } from './suppression.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_ID = '00000000-0000-0000-0000-000000000000';

type Row = {
  id: string;
  customer_id: string | null;
  conditions: SuppressionCondition[];
  starts_at: Date;
  ends_at: Date;
  reason: string;
  owner: string;
  created_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
};

function suppressionOf(r: Row): SuppressionEntity {
  return Object.assign(new SuppressionEntity(), {
    id: r.id,
    customerId: r.customer_id,
    conditions: r.conditions,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    owner: r.owner,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    endedBy: r.ended_by,
  });
}

// How long after its end a suppression stays in the matcher, for alerts that arrive late.
const MATCHABLE_AFTER_END_DAYS = 7;

@Injectable()
export class SuppressionsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  async insert(em: EntityManager, v: { customerId: string | null; conditions: SuppressionCondition[]; startsAt: Date; endsAt: Date; reason: string; owner: string; now: Date }): Promise<SuppressionEntity> {
    const rows: Row[] = await em.query(
      `INSERT INTO analysis.suppression (customer_id, conditions, starts_at, ends_at, reason, owner, created_at) VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7) RETURNING *`,
      [v.customerId, JSON.stringify(v.conditions), v.startsAt, v.endsAt, v.reason, v.owner, v.now],
    );
    return suppressionOf(rows[0]);
  }

  // Ends it now (a suppression that has not started yet ends before it starts: it never runs).
  async end(em: EntityManager, id: string, by: string, now: Date): Promise<SuppressionEntity> {
    // TypeORM answers an UPDATE as [rows, count].
    const [rows]: [Row[], number] = await em.query(
      `UPDATE analysis.suppression SET ended_at = $3, ended_by = $2, ends_at = GREATEST(LEAST(ends_at, $3::timestamptz), starts_at + interval '1 millisecond')
       WHERE id = $1 AND ended_at IS NULL RETURNING *`,
      [id, by, now],
    );
    return suppressionOf(rows[0]);
  }

  async bumpRevision(em: EntityManager): Promise<void> {
    await em.query(`UPDATE analysis.suppression_revision SET revision = revision + 1 WHERE id = 1`);
  }

  async revision(): Promise<string> {
    const rows: { revision: string }[] = await this.ds.query(`SELECT revision FROM analysis.suppression_revision WHERE id = 1`);
    return rows[0]?.revision ?? '0';
  }

  // What the matcher holds: every suppression not ended more than a few days before `now`.
  async matchable(now: Date): Promise<SuppressionEntity[]> {
    const rows: Row[] = await this.ds.query(`SELECT * FROM analysis.suppression WHERE ends_at > $1::timestamptz - make_interval(days => $2) ORDER BY created_at, id`, [now, MATCHABLE_AFTER_END_DAYS]);
    return rows.map(suppressionOf);
  }

  // Those applying to the scope's customers: theirs and the global ones; with customerId, those
  // applying to that customer. At most `limit` rows, newest first.
  async visible(scope: TenantScope, q: { customerId?: string; active?: boolean; now: Date }, limit: number): Promise<SuppressionEntity[]> {
    const [cond, params] = this.directory.condition(scope, 's.customer_id', 1);
    const where = [`(s.customer_id IS NULL OR ${cond})`];
    if (q.customerId !== undefined) {
      params.push(UUID.test(q.customerId) ? q.customerId : NO_ID);
      where.push(`(s.customer_id IS NULL OR s.customer_id = $${params.length})`);
    }
    if (q.active !== undefined) {
      params.push(q.now);
      const p = `$${params.length}`;
      where.push(q.active ? `(s.starts_at <= ${p} AND s.ends_at > ${p})` : `NOT (s.starts_at <= ${p} AND s.ends_at > ${p})`);
    }
    params.push(limit);
    const rows: Row[] = await this.ds.query(`SELECT s.* FROM analysis.suppression s WHERE ${where.join(' AND ')} ORDER BY s.created_at DESC, s.id DESC LIMIT $${params.length}`, params);
    return rows.map(suppressionOf);
  }

  async visibleById(em: EntityManager | DataSource, scope: TenantScope, id: string, lock = false): Promise<SuppressionEntity | null> {
    if (!UUID.test(id)) return null;
    const [cond, params] = this.directory.condition(scope, 's.customer_id', 2);
    const rows: Row[] = await em.query(`SELECT s.* FROM analysis.suppression s WHERE s.id = $1 AND (s.customer_id IS NULL OR ${cond})${lock ? ' FOR UPDATE' : ''}`, [id, ...params]);
    return rows[0] ? suppressionOf(rows[0]) : null;
  }

  // One statement; false when the alert was already recorded (redelivery counts once).
  async recordHit(em: EntityManager, v: { suppressionId: string; alertId: string; customerId: string; at: Date }): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO analysis.suppressed_alert (suppression_id, alert_id, customer_id, suppressed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING alert_id`,
      [v.suppressionId, v.alertId, v.customerId, v.at],
    );
    return rows.length > 0;
  }

  // Silenced alerts per suppression, counting only the scope's customers' alerts; one query.
  async hitCounts(scope: TenantScope, ids: readonly string[]): Promise<Map<string, number>> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return new Map();
    const [cond, params] = this.directory.condition(scope, 'a.customer_id', 2);
    const rows: { suppression_id: string; n: number }[] = await this.ds.query(
      `SELECT a.suppression_id, count(*)::int AS n FROM analysis.suppressed_alert a WHERE a.suppression_id = ANY($1::uuid[]) AND ${cond} GROUP BY a.suppression_id`,
      [valid, ...params],
    );
    return new Map(rows.map((r) => [r.suppression_id, r.n]));
  }

  // A page of the alerts a suppression silenced among the scope's customers, newest first.
  async suppressedAlerts(scope: TenantScope, suppressionId: string, limit: number, after?: { sortKey: string; id: string }): Promise<{ alertId: string; customerId: string; suppressedAt: Date }[]> {
    const [cond, params] = this.directory.condition(scope, 'a.customer_id', 2);
    const all: unknown[] = [suppressionId, ...params];
    let sql = `SELECT a.alert_id, a.customer_id, a.suppressed_at FROM analysis.suppressed_alert a WHERE a.suppression_id = $1 AND ${cond}`;
    if (after) {
      all.push(after.sortKey, UUID.test(after.id) ? after.id : NO_ID);
      sql += ` AND (a.suppressed_at, a.alert_id) < ($${all.length - 1}::timestamptz, $${all.length}::uuid)`;
    }
    all.push(limit);
    const rows: { alert_id: string; customer_id: string; suppressed_at: Date }[] = await this.ds.query(`${sql} ORDER BY a.suppressed_at DESC, a.alert_id DESC LIMIT $${all.length}`, all);
    return rows.map((r) => ({ alertId: r.alert_id, customerId: r.customer_id, suppressedAt: r.suppressed_at }));
  }
}
