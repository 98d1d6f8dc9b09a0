// Where correlation windows live. PostgreSQL in the service (correlation.repository.ts), so the
// state survives restarts and two replicas see the same windows; memory for testDetectionRule and
// unit specs.
import type { EntityManager } from 'typeorm';

export interface CorrelationKey {
  ruleId: string;
  customerId: string;
  groupKey: string;
}

export interface CorrelationEntry {
  /** The sequence step the event matched; 0 for counts. */
  step: number;
  /** value_count: the counted field's value; null otherwise. */
  value: string | null;
  at: Date;
}

export interface CorrelationStore {
  /** Holds off other observers of the same key (any replica) until `tx` ends. */
  lock(tx: EntityManager | null, key: CorrelationKey): Promise<void>;
  add(tx: EntityManager | null, key: CorrelationKey, entry: CorrelationEntry, expiresAt: Date): Promise<void>;
  /** lock() then add(), in one round trip where the store can. */
  lockAndAdd(tx: EntityManager | null, key: CorrelationKey, entry: CorrelationEntry, expiresAt: Date): Promise<void>;
  /** How many entries (or distinct values) the key has with from <= at <= to, and the oldest time. */
  count(tx: EntityManager | null, key: CorrelationKey, from: Date, to: Date, distinctValues: boolean): Promise<{ count: number; firstAt: Date | null }>;
  /** The key's entries with from <= at <= to, oldest first. */
  between(tx: EntityManager | null, key: CorrelationKey, from: Date, to: Date): Promise<CorrelationEntry[]>;
  /** Drops entries that expired before `now`; returns how many. */
  prune(tx: EntityManager | null, now: Date): Promise<number>;
}

/** A store in memory: one process, no transactions (testDetectionRule, specs). */
export class MemoryCorrelationStore implements CorrelationStore {
  private readonly entries = new Map<string, (CorrelationEntry & { expiresAt: Date })[]>();

  private static id(key: CorrelationKey): string {
    return JSON.stringify([key.ruleId, key.customerId, key.groupKey]);
  }

  async lock(): Promise<void> {}

  lockAndAdd(tx: EntityManager | null, key: CorrelationKey, entry: CorrelationEntry, expiresAt: Date): Promise<void> {
    return this.add(tx, key, entry, expiresAt);
  }

  async add(_tx: EntityManager | null, key: CorrelationKey, entry: CorrelationEntry, expiresAt: Date): Promise<void> {
    const id = MemoryCorrelationStore.id(key);
    const list = this.entries.get(id) ?? [];
    list.push({ ...entry, expiresAt });
    this.entries.set(id, list);
  }

  async between(_tx: EntityManager | null, key: CorrelationKey, from: Date, to: Date): Promise<CorrelationEntry[]> {
    return (this.entries.get(MemoryCorrelationStore.id(key)) ?? [])
      .filter((e) => e.at >= from && e.at <= to)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map(({ step, value, at }) => ({ step, value, at }));
  }

  async count(tx: EntityManager | null, key: CorrelationKey, from: Date, to: Date, distinctValues: boolean): Promise<{ count: number; firstAt: Date | null }> {
    const entries = await this.between(tx, key, from, to);
    return { count: distinctValues ? new Set(entries.map((e) => e.value)).size : entries.length, firstAt: entries[0]?.at ?? null };
  }

  async prune(_tx: EntityManager | null, now: Date): Promise<number> {
    let n = 0;
    for (const [id, list] of this.entries) {
      const kept = list.filter((e) => e.expiresAt >= now);
      n += list.length - kept.length;
      if (kept.length) this.entries.set(id, kept);
      else this.entries.delete(id);
    }
    return n;
  }
}
