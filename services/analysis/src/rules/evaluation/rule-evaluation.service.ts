import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CorrelationEngine } from '../correlation/correlation-engine';
import { CorrelationRepository } from '../correlation/correlation.repository';
import { RulesRepository } from '../rules.repository';
import { RuleSet, type AlertInput, type RuleEvaluation } from './rule-set';

// The clock correlations use (tests inject one).
export const ANALYSIS_CLOCK = Symbol('ANALYSIS_CLOCK');
// How long a loaded rule set is trusted before the database is asked whether rules changed.
export const RULES_RECHECK_MS = 5_000;

interface Loaded {
  stamp: string;
  checkedAt: number;
  all: RuleSet;
  // customer -> the rules turned off for it
  off: Map<string, Set<string>>;
  // customer -> its rule set, for the customers with rules turned off (built on first use)
  byCustomer: Map<string, RuleSet>;
}

// What the alerts consumer calls: the rules in force for a customer, and an alert judged against
// them (correlations recorded in the consumer's transaction). A rule that throws on an alert is
// turned off with its error; the others keep running.
@Injectable()
export class RuleEvaluationService {
  private loaded: Loaded | null = null;
  private loading: Promise<Loaded> | null = null;
  readonly correlations: CorrelationEngine;

  constructor(
    private readonly repo: RulesRepository,
    store: CorrelationRepository,
    @Optional() @Inject(ANALYSIS_CLOCK) private readonly clock: () => Date = () => new Date(),
  ) {
    this.correlations = new CorrelationEngine(store, this.clock);
  }

  /** The enabled rules not turned off for `customerId`. */
  async rulesFor(customerId: string): Promise<RuleSet> {
    const l = await this.current();
    const off = l.off.get(customerId);
    if (!off) return l.all;
    let set = l.byCustomer.get(customerId);
    if (!set) {
      set = l.all.filter((id) => !off.has(id));
      l.byCustomer.set(customerId, set);
    }
    return set;
  }

  /** Judges one alert; call inside the transaction that writes its verdict. */
  async evaluate(tx: EntityManager, alert: AlertInput): Promise<RuleEvaluation> {
    const [out] = await this.evaluateMany(tx, [alert]);
    return out;
  }

  /** Judges alerts as evaluate() would one after another, their correlations observed together. */
  async evaluateMany(tx: EntityManager, alerts: readonly AlertInput[]): Promise<RuleEvaluation[]> {
    const items: { alert: AlertInput; set: RuleSet }[] = [];
    for (const alert of alerts) items.push({ alert, set: await this.rulesFor(alert.customerId) });
    const results = await RuleSet.evaluateMany(tx, items, this.correlations);
    const failed = new Map(results.flatMap((r) => r.failures).map((f) => [`${f.ruleId}|${f.version}`, f]));
    for (const f of failed.values()) await this.repo.disableWithError(tx, f.ruleId, f.version, f.error);
    if (failed.size) this.loaded = null;
    return results;
  }

  /** Drops correlation entries whose window has ended (for a scheduled job). */
  pruneCorrelations(tx: EntityManager | null = null): Promise<number> {
    return this.correlations.prune(tx);
  }

  /** Forgets the loaded rules (after a change in this process). */
  invalidate(): void {
    this.loaded = null;
  }

  private async current(): Promise<Loaded> {
    const l = this.loaded;
    if (l && Date.now() - l.checkedAt < RULES_RECHECK_MS) return l;
    this.loading ??= this.load(l).finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(previous: Loaded | null): Promise<Loaded> {
    const stamp = await this.repo.stamp();
    if (previous && previous.stamp === stamp) return (this.loaded = { ...previous, checkedAt: Date.now() });
    const [sources, overrides] = await Promise.all([this.repo.enabledRules(), this.repo.overrides()]);
    const { set, broken } = RuleSet.compile(sources);
    // A stored rule that no longer compiles (an engine change) is turned off with the reason.
    for (const b of broken) await this.repo.disableWithError(null, b.ruleId, b.version, b.error);
    const off = new Map<string, Set<string>>();
    for (const o of overrides) {
      if (o.enabled) continue;
      const s = off.get(o.customerId) ?? new Set<string>();
      s.add(o.ruleId);
      off.set(o.customerId, s);
    }
    return (this.loaded = { stamp: broken.length ? '' : stamp, checkedAt: Date.now(), all: set, off, byCustomer: new Map() });
  }
}
