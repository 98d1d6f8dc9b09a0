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

/** An event observed in its window, for windowsThenAdd. */
export interface WindowObservation {
  key: CorrelationKey;
  /** The window: from <= at <= to. */
  from: Date;
  to: Date;
  /** count: entries counted (event_count); distinct: values counted (value_count); sequence: the entries themselves (temporal_ordered). */
  kind: 'count' | 'distinct' | 'sequence';
  /** What the event records (none for a value_count event without its value; one per step matched for a sequence). */
  entries: CorrelationEntry[];
  expiresAt: Date;
}

/** A window as it stood: how many entries (count), its distinct values (distinct), its entries oldest first (sequence), and the oldest time. */
export interface WindowContent {
  count: number;
  firstAt: Date | null;
  values: string[];
  entries: CorrelationEntry[];
}

/** One string per key, for maps and lock names. */
export function keyId(key: CorrelationKey): string {
  return `${key.ruleId}|${key.customerId}|${key.groupKey}`;
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
  /**
   * Locks every observation's key (all at once, in one order, until `tx` ends), then reads each
   * window as it stood before these observations and records their entries.
   */
  windowsThenAdd(tx: EntityManager | null, observations: readonly WindowObservation[]): Promise<WindowContent[]>;
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

  async windowsThenAdd(tx: EntityManager | null, observations: readonly WindowObservation[]): Promise<WindowContent[]> {
    const windows: WindowContent[] = [];
    for (const o of observations) {
      const entries = await this.between(tx, o.key, o.from, o.to);
      const values = o.kind === 'distinct' ? [...new Set(entries.map((e) => e.value).filter((v): v is string => v !== null))] : [];
      windows.push({ count: entries.length, firstAt: entries[0]?.at ?? null, values, entries: o.kind === 'sequence' ? entries : [] });
    }
    for (const o of observations) for (const e of o.entries) await this.add(tx, o.key, e, o.expiresAt);
    return windows;
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
