import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CorrelationEntry, CorrelationKey, CorrelationStore } from './correlation-store';

// Correlation windows in analysis.correlation_entry. Every method runs in the caller's
// transaction when given one (the consumer's), else on its own.
@Injectable()
export class CorrelationRepository implements CorrelationStore {
  constructor(private readonly ds: DataSource) {}

  private q(tx: EntityManager | null): EntityManager {
    return tx ?? this.ds.manager;
  }

  async lock(tx: EntityManager | null, key: CorrelationKey): Promise<void> {
    // Serializes the group's observers across replicas; released when the transaction ends.
    await this.q(tx).query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`correlation|${key.ruleId}|${key.customerId}|${key.groupKey}`]);
  }

  async add(tx: EntityManager | null, key: CorrelationKey, entry: CorrelationEntry, expiresAt: Date): Promise<void> {
    await this.q(tx).query(
      `INSERT INTO analysis.correlation_entry (rule_id, customer_id, group_key, step, value, at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [key.ruleId, key.customerId, key.groupKey, entry.step, entry.value, entry.at, expiresAt],
    );
  }

  // The lock first, then the insert, in one statement (the insert reads nothing, so it needs no
  // snapshot taken after the lock; the count that follows is a statement of its own).
  async lockAndAdd(tx: EntityManager | null, key: CorrelationKey, entry: CorrelationEntry, expiresAt: Date): Promise<void> {
    await this.q(tx).query(
      `WITH l AS (SELECT pg_advisory_xact_lock(hashtextextended($8, 0)))
       INSERT INTO analysis.correlation_entry (rule_id, customer_id, group_key, step, value, at, expires_at) SELECT $1, $2, $3, $4, $5, $6, $7 FROM l`,
      [key.ruleId, key.customerId, key.groupKey, entry.step, entry.value, entry.at, expiresAt, `correlation|${key.ruleId}|${key.customerId}|${key.groupKey}`],
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

  async prune(tx: EntityManager | null, now: Date): Promise<number> {
    const res: [unknown[], number] = await this.q(tx).query(`DELETE FROM analysis.correlation_entry WHERE expires_at < $1`, [now]);
    return res[1];
  }
}
