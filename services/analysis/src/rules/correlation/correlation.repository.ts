import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { type CorrelationEntry, type CorrelationKey, type CorrelationStore, keyId, type WindowContent, type WindowObservation } from './correlation-store';

// Correlation windows in analysis.correlation_entry, and for counted values (value_count) the
// latest time each was seen in analysis.correlation_value. Every method runs in the caller's
// transaction when given one (the consumer's), else on its own.

// Records a value's latest time (a CTE of the statement that inserts its entry).
const REMEMBER_VALUE = `INSERT INTO analysis.correlation_value (rule_id, customer_id, group_key, value, last_at, expires_at)`;
const VALUE_CONFLICT = `ON CONFLICT (rule_id, customer_id, group_key, value) DO UPDATE SET
    last_at = GREATEST(analysis.correlation_value.last_at, EXCLUDED.last_at), expires_at = GREATEST(analysis.correlation_value.expires_at, EXCLUDED.expires_at)`;
@Injectable()
export class CorrelationRepository implements CorrelationStore {
  constructor(private readonly ds: DataSource) {}

  private q(tx: EntityManager | null): EntityManager {
    return tx ?? this.ds.manager;
  }

  async lock(tx: EntityManager | null, key: CorrelationKey): Promise<void> {
    // Serializes the group's observers across replicas; released when the transaction ends.
    await this.q(tx).query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [lockName(key)]);
  }

  async add(tx: EntityManager | null, key: CorrelationKey, entry: CorrelationEntry, expiresAt: Date): Promise<void> {
    await this.q(tx).query(
      `WITH v AS (${REMEMBER_VALUE} SELECT $1, $2, $3, $5, $6, $7 WHERE $5::text IS NOT NULL ${VALUE_CONFLICT})
       INSERT INTO analysis.correlation_entry (rule_id, customer_id, group_key, step, value, at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [key.ruleId, key.customerId, key.groupKey, entry.step, entry.value, entry.at, expiresAt],
    );
  }

  // The lock first, then the insert, in one statement (the insert reads nothing, so it needs no
  // snapshot taken after the lock; the count that follows is a statement of its own).
  async lockAndAdd(tx: EntityManager | null, key: CorrelationKey, entry: CorrelationEntry, expiresAt: Date): Promise<void> {
    await this.q(tx).query(
      `WITH l AS (SELECT pg_advisory_xact_lock(hashtextextended($8, 0))),
       v AS (${REMEMBER_VALUE} SELECT $1, $2, $3, $5, $6, $7 FROM l WHERE $5::text IS NOT NULL ${VALUE_CONFLICT})
       INSERT INTO analysis.correlation_entry (rule_id, customer_id, group_key, step, value, at, expires_at) SELECT $1, $2, $3, $4, $5, $6, $7 FROM l`,
      [key.ruleId, key.customerId, key.groupKey, entry.step, entry.value, entry.at, expiresAt, lockName(key)],
    );
  }

  async count(tx: EntityManager | null, key: CorrelationKey, from: Date, to: Date, distinctValues: boolean): Promise<{ count: number; firstAt: Date | null }> {
    const [row]: { n: number; first_at: Date | null }[] = await this.q(tx).query(
      `SELECT ${distinctValues ? 'count(DISTINCT value)' : 'count(*)'}::int AS n, min(at) AS first_at FROM analysis.correlation_entry
        WHERE rule_id = $1 AND customer_id = $2 AND group_key = $3 AND at BETWEEN $4 AND $5`,
      [key.ruleId, key.customerId, key.groupKey, from, to],
    );
    return { count: row.n, firstAt: row.first_at ? new Date(row.first_at) : null };
  }

  async between(tx: EntityManager | null, key: CorrelationKey, from: Date, to: Date): Promise<CorrelationEntry[]> {
    const rows: { step: number; value: string | null; at: Date }[] = await this.q(tx).query(
      `SELECT step, value, at FROM analysis.correlation_entry
        WHERE rule_id = $1 AND customer_id = $2 AND group_key = $3 AND at BETWEEN $4 AND $5
        ORDER BY at, id`,
      [key.ruleId, key.customerId, key.groupKey, from, to],
    );
    return rows.map((r) => ({ step: Number(r.step), value: r.value, at: new Date(r.at) }));
  }

  // Two statements for a whole batch. The locks, in the order of their names (two replicas locking
  // overlapping keys wait, never deadlock); then, in one statement so both see the snapshot taken
  // after the locks, every window read and every entry inserted: a statement's own inserts are not
  // visible to it, so the windows are as they stood before the batch.
  async windowsThenAdd(tx: EntityManager | null, observations: readonly WindowObservation[]): Promise<WindowContent[]> {
    if (!observations.length) return [];
    const q = this.q(tx);
    const names = [...new Set(observations.map((o) => lockName(o.key)))].sort();
    await q.query(`SELECT count(pg_advisory_xact_lock(hashtextextended(n, 0)))::int AS locked FROM unnest($1::text[]) AS l(n)`, [names]);
    const adds = observations.flatMap((o) => o.entries.map((e) => ({ key: o.key, e, expiresAt: o.expiresAt })));
    // Per observation, only what its kind needs: a count and the oldest time (count); the oldest
    // time by an index probe and the distinct values from correlation_value, or from the entries
    // when a value was seen after the window's end (distinct); the entries (sequence).
    const rows: { k: string; n: number | null; first_at: Date | null; vals: string[] | null; seq: { s: number; a: string }[] | null }[] = await q.query(
      `WITH o AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[]) WITH ORDINALITY AS o(rule_id, customer_id, group_key, f, t, kind, k)
       ), w AS (
         SELECT o.k, c.n, coalesce(c.first_at, d.first_at) AS first_at,
                CASE WHEN o.kind <> 'distinct' THEN NULL WHEN coalesce(v.newest, '-infinity') <= o.t THEN v.vals ELSE late.vals END AS vals, s.seq
           FROM o
           -- count: one scan of the window
           LEFT JOIN LATERAL (SELECT count(*)::int AS n, min(e.at) AS first_at FROM analysis.correlation_entry e
                               WHERE o.kind = 'count' AND ${SAME_KEY} AND e.at BETWEEN o.f AND o.t) c ON true
           -- distinct: the oldest entry by an index probe, the values from their latest times
           LEFT JOIN LATERAL (SELECT e.at AS first_at FROM analysis.correlation_entry e
                               WHERE o.kind = 'distinct' AND ${SAME_KEY} AND e.at BETWEEN o.f AND o.t ORDER BY e.at LIMIT 1) d ON true
           LEFT JOIN LATERAL (SELECT max(v.last_at) AS newest, array_agg(v.value) FILTER (WHERE v.last_at >= o.f) AS vals FROM analysis.correlation_value v
                               WHERE o.kind = 'distinct' AND ${SAME_KEY.replace(/e\./g, 'v.')}) v ON true
           -- distinct, when a value was seen after the window's end (a late event): the entries
           LEFT JOIN LATERAL (SELECT array_agg(DISTINCT e.value) AS vals FROM analysis.correlation_entry e
                               WHERE o.kind = 'distinct' AND v.newest > o.t AND ${SAME_KEY} AND e.at BETWEEN o.f AND o.t AND e.value IS NOT NULL) late ON true
           -- sequence: the window's entries in order
           LEFT JOIN LATERAL (SELECT json_agg(json_build_object('s', e.step, 'a', e.at) ORDER BY e.at, e.id) AS seq FROM analysis.correlation_entry e
                               WHERE o.kind = 'sequence' AND ${SAME_KEY} AND e.at BETWEEN o.f AND o.t) s ON true
       ), a AS (
         SELECT * FROM unnest($7::uuid[], $8::uuid[], $9::text[], $10::smallint[], $11::text[], $12::timestamptz[], $13::timestamptz[]) AS a(rule_id, customer_id, group_key, step, value, at, expires_at)
       ), ins AS (
         INSERT INTO analysis.correlation_entry (rule_id, customer_id, group_key, step, value, at, expires_at) SELECT * FROM a
       ), vals AS (
         ${REMEMBER_VALUE}
         SELECT rule_id, customer_id, group_key, value, max(at), max(expires_at) FROM a WHERE value IS NOT NULL GROUP BY rule_id, customer_id, group_key, value
         ${VALUE_CONFLICT}
       )
       SELECT k, n, first_at, vals, seq FROM w ORDER BY k`,
      [
        observations.map((o) => o.key.ruleId),
        observations.map((o) => o.key.customerId),
        observations.map((o) => o.key.groupKey),
        observations.map((o) => o.from),
        observations.map((o) => o.to),
        observations.map((o) => o.kind),
        adds.map((x) => x.key.ruleId),
        adds.map((x) => x.key.customerId),
        adds.map((x) => x.key.groupKey),
        adds.map((x) => x.e.step),
        adds.map((x) => x.e.value),
        adds.map((x) => x.e.at),
        adds.map((x) => x.expiresAt),
      ],
    );
    return rows.map((r) => ({
      count: r.n ?? 0,
      firstAt: r.first_at ? new Date(r.first_at) : null,
      values: r.vals ?? [],
      entries: (r.seq ?? []).map((x) => ({ step: Number(x.s), value: null, at: new Date(x.a) })),
    }));
  }

  async prune(tx: EntityManager | null, now: Date): Promise<number> {
    const res: [unknown[], number] = await this.q(tx).query(
      `WITH v AS (DELETE FROM analysis.correlation_value WHERE expires_at < $1) DELETE FROM analysis.correlation_entry WHERE expires_at < $1`,
      [now],
    );
    return res[1];
  }
}

const SAME_KEY = `e.rule_id = o.rule_id AND e.customer_id = o.customer_id AND e.group_key = o.group_key`;

function lockName(key: CorrelationKey): string {
  return `correlation|${keyId(key)}`;
}
