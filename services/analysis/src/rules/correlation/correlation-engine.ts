// Kanshi's correlation extension of Sigma: counts of events (or of distinct values) per group
// within a timespan, and ordered sequences of steps across products. Window maths use the
// events' own times; the injected clock stands in when an event has none and decides expiry.
import type { EntityManager } from 'typeorm';
import { valuesAt } from '../sigma/sigma-fields';
import type { SigmaCorrelation } from '../sigma/sigma-rule';
import { type CorrelationEntry, type CorrelationStore, keyId, type WindowObservation } from './correlation-store';

export interface CorrelationObservation {
  ruleId: string;
  customerId: string;
  correlation: SigmaCorrelation;
  /** From groupKeyOf(correlation, ecs). */
  groupKey: string;
  /** When the event happened; the clock's now when omitted. */
  at?: Date;
  /** temporal_ordered: the steps the event matched (compiled.stepsMatched). */
  steps?: number[];
  /** value_count: the counted field's value (valueOf(correlation, ecs)). */
  value?: string | null;
}

export interface CorrelationOutcome {
  fired: boolean;
  groupKey: string;
  /** Events (event_count), distinct values (value_count) or steps completed (temporal_ordered) in the window. */
  count: number;
  /** The oldest entry the outcome counted. */
  firstAt: Date;
}

/** The group key of an event (group-by values, lower-case, "|"-joined), or null when one is missing. */
export function groupKeyOf(correlation: SigmaCorrelation, ecs: Record<string, unknown>): string | null {
  const parts: string[] = [];
  for (const field of correlation.groupBy) {
    const v = firstText(ecs, field);
    if (v === null) return null;
    parts.push(v);
  }
  return parts.join('|');
}

/** value_count: the event's value of the counted field, or null. */
export function valueOf(correlation: SigmaCorrelation, ecs: Record<string, unknown>): string | null {
  return correlation.field ? firstText(ecs, correlation.field) : null;
}

function firstText(ecs: Record<string, unknown>, field: string): string | null {
  for (const v of valuesAt(ecs, field.split('.'))) {
    if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number') return String(v).trim().toLowerCase();
  }
  return null;
}

export class CorrelationEngine {
  constructor(
    private readonly store: CorrelationStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Records the event in its rule's window and says whether the correlation now holds.
   * Runs in the caller's transaction (`tx`), holding the group's lock until it commits.
   */
  async observe(tx: EntityManager | null, o: CorrelationObservation): Promise<CorrelationOutcome> {
    const c = o.correlation;
    const at = o.at ?? this.clock();
    const key = { ruleId: o.ruleId, customerId: o.customerId, groupKey: o.groupKey };
    const expiresAt = new Date(at.getTime() + c.timespanMs);
    const from = new Date(at.getTime() - c.timespanMs);
    if (c.type === 'temporal_ordered') {
      await this.store.lock(tx, key);
      const steps = o.steps ?? [];
      for (const step of steps) await this.store.add(tx, key, { step, value: null, at }, expiresAt);
      const last = (c.steps?.length ?? 0) - 1;
      const entries = await this.store.between(tx, key, from, at);
      const chain = longestChain(entries, at, last);
      return { fired: steps.includes(last) && chain.length === last + 1, groupKey: o.groupKey, count: chain.length, firstAt: chain[0] ?? at };
    }
    const distinct = c.type === 'value_count';
    const value = distinct ? (o.value ?? null) : null;
    // value_count counts values: an event without one is not recorded.
    if (!distinct || value !== null) await this.store.lockAndAdd(tx, key, { step: 0, value, at }, expiresAt);
    else await this.store.lock(tx, key);
    const { count, firstAt } = await this.store.count(tx, key, from, at, distinct);
    return { fired: (!distinct || value !== null) && count >= c.gte, groupKey: o.groupKey, count, firstAt: firstAt ?? at };
  }

  /**
   * Observes events in order with the outcome of observe() called for each in turn, in two
   * statements for the whole batch: every key locked at once, then each window read as it stood
   * before the batch while the batch's entries are recorded; the batch's own earlier entries are
   * laid over each window in memory.
   */
  async observeMany(tx: EntityManager | null, observations: readonly CorrelationObservation[]): Promise<CorrelationOutcome[]> {
    if (!observations.length) return [];
    const items = observations.map((o): WindowObservation => {
      const c = o.correlation;
      const at = o.at ?? this.clock();
      const key = { ruleId: o.ruleId, customerId: o.customerId, groupKey: o.groupKey };
      const window = { key, from: new Date(at.getTime() - c.timespanMs), to: at, expiresAt: new Date(at.getTime() + c.timespanMs) };
      if (c.type === 'temporal_ordered') return { ...window, kind: 'sequence', entries: (o.steps ?? []).map((step) => ({ step, value: null, at })) };
      if (c.type === 'event_count') return { ...window, kind: 'count', entries: [{ step: 0, value: null, at }] };
      // value_count counts values: an event without one is not recorded.
      const value = o.value ?? null;
      return { ...window, kind: 'distinct', entries: value === null ? [] : [{ step: 0, value, at }] };
    });
    const windows = await this.store.windowsThenAdd(tx, items);
    const earlier = new Map<string, CorrelationEntry[]>();
    return observations.map((o, k) => {
      const item = items[k];
      const id = keyId(item.key);
      const batch = earlier.get(id) ?? [];
      batch.push(...item.entries);
      earlier.set(id, batch);
      const mine = batch.filter((e) => e.at >= item.from && e.at <= item.to);
      const w = windows[k];
      if (item.kind === 'sequence') {
        // the window's entries before the batch, then the batch's, in time order (ties: the older first)
        const entries = [...w.entries, ...mine].sort((x, y) => x.at.getTime() - y.at.getTime());
        const last = (o.correlation.steps?.length ?? 0) - 1;
        const chain = longestChain(entries, item.to, last);
        return { fired: (o.steps ?? []).includes(last) && chain.length === last + 1, groupKey: o.groupKey, count: chain.length, firstAt: chain[0] ?? item.to };
      }
      let firstAt = w.firstAt;
      for (const e of mine) if (!firstAt || e.at < firstAt) firstAt = e.at;
      const count = item.kind === 'distinct' ? new Set([...w.values, ...mine.map((e) => e.value!)]).size : w.count + mine.length;
      return { fired: item.entries.length > 0 && count >= o.correlation.gte, groupKey: o.groupKey, count, firstAt: firstAt ?? item.to };
    });
  }

  /** Drops expired window entries (call from a scheduled job). */
  prune(tx: EntityManager | null): Promise<number> {
    return this.store.prune(tx, this.clock());
  }
}

// The longest prefix 0, 1, 2, ... of steps found in time order, ending no later than `at`; each step's
// earliest possible entry is taken so later steps have the most room.
function longestChain(entries: { step: number; at: Date }[], at: Date, last: number): Date[] {
  const chain: Date[] = [];
  let after = -Infinity;
  for (let step = 0; step <= last; step++) {
    const next = entries.find((e) => e.step === step && e.at.getTime() >= after && e.at <= at);
    if (!next) break;
    chain.push(next.at);
    after = next.at.getTime();
  }
  return chain;
}
