// A customer's runnable rules and how an alert is judged against them, correlations included.
// Pure apart from the correlation store it is handed; the consumer calls evaluate() in its own
// transaction so windows and the verdict commit together.
import type { EntityManager } from 'typeorm';
import type { SensorProductCode, SocSeverity } from '@kanshi/events';
import { CorrelationEngine, type CorrelationObservation, groupKeyOf, valueOf } from '../correlation/correlation-engine';
import { compileRule, type CompiledRule } from '../sigma/sigma-compiler';
import { parseSigmaRule } from '../sigma/sigma-parser';
import type { CorrelationType, KanshiTexts, SigmaLevel } from '../sigma/sigma-rule';

export const LEVEL_SEVERITY: Readonly<Record<SigmaLevel, SocSeverity>> = {
  critical: 'HIGH',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  informational: 'LOW',
};

export interface RuleSource {
  id: string;
  version: number;
  yaml: string;
}

export interface ActiveRule {
  id: string;
  version: number;
  compiled: CompiledRule;
}

export interface AlertInput {
  customerId: string;
  product: SensorProductCode;
  ecs: Record<string, unknown>;
  /** When the alert happened (its occurredAt). */
  at: Date;
}

export interface RuleMatch {
  ruleId: string;
  version: number;
  title: string;
  level: SigmaLevel;
  severity: SocSeverity;
  tags: string[];
  attackTechniques: string[];
  kanshi: KanshiTexts | null;
  /** The selections that matched (a sequence's last step name for temporal_ordered). */
  selections: string[];
  correlation: { type: CorrelationType; groupKey: string; count: number; firstAt: Date } | null;
}

export interface RuleFailure {
  ruleId: string;
  version: number;
  error: string;
}

export interface RuleEvaluation {
  matches: RuleMatch[];
  /** Rules that threw on this alert: the caller disables them with the error; the others ran. */
  failures: RuleFailure[];
}

export class RuleSet {
  // The rules that can match an alert of each product (most rules name a few products).
  private readonly byProduct = new Map<SensorProductCode, ActiveRule[]>();

  constructor(readonly rules: readonly ActiveRule[]) {
    for (const r of rules) {
      for (const p of r.compiled.rule.products) {
        const list = this.byProduct.get(p) ?? [];
        list.push(r);
        this.byProduct.set(p, list);
      }
    }
  }

  /** Compiles stored rules; a rule that no longer compiles is returned in `broken`, not thrown. */
  static compile(sources: readonly RuleSource[]): { set: RuleSet; broken: RuleFailure[] } {
    const rules: ActiveRule[] = [];
    const broken: RuleFailure[] = [];
    for (const s of sources) {
      try {
        rules.push({ id: s.id, version: s.version, compiled: compileRule(parseSigmaRule(s.yaml)) });
      } catch (e) {
        broken.push({ ruleId: s.id, version: s.version, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { set: new RuleSet(rules), broken };
  }

  /** Only the rules `keep` accepts (e.g. those not disabled for a customer). */
  filter(keep: (ruleId: string) => boolean): RuleSet {
    return new RuleSet(this.rules.filter((r) => keep(r.id)));
  }

  async evaluate(tx: EntityManager | null, alert: AlertInput, correlations: CorrelationEngine): Promise<RuleEvaluation> {
    const [out] = await RuleSet.evaluateMany(tx, [{ alert, set: this }], correlations);
    return out;
  }

  /**
   * Judges alerts in order, each against its own rule set, with the outcome of judging them one
   * after another: the rules' selections first (pure), then every correlation the alerts feed
   * observed at once (CorrelationEngine.observeMany: a few statements for the whole batch, not two
   * per alert and rule), then the matches.
   */
  static async evaluateMany(tx: EntityManager | null, items: readonly { alert: AlertInput; set: RuleSet }[], correlations: CorrelationEngine): Promise<RuleEvaluation[]> {
    const pending: { item: number; rule: ActiveRule; selections: string[]; observation: number | null }[] = [];
    const observations: CorrelationObservation[] = [];
    const failures: RuleFailure[][] = items.map(() => []);
    items.forEach(({ alert, set }, item) => {
      const ctx = { product: alert.product };
      for (const r of set.byProduct.get(alert.product) ?? []) {
        const c = r.compiled.rule.correlation;
        let selections: string[] | null;
        let steps: number[] = [];
        let groupKey: string | null = null;
        let value: string | null = null;
        // A rule that throws while matching fails alone; a store error (the database) is the caller's.
        try {
          if (c?.steps) {
            steps = r.compiled.stepsMatched(alert.ecs, ctx);
            selections = steps.length ? steps.map((k) => c.steps![k].name) : null;
          } else selections = r.compiled.selectionsMatched(alert.ecs, ctx);
          if (c && selections) {
            groupKey = groupKeyOf(c, alert.ecs);
            value = valueOf(c, alert.ecs);
          }
        } catch (e) {
          failures[item].push({ ruleId: r.id, version: r.version, error: e instanceof Error ? e.message : String(e) });
          continue;
        }
        if (!selections) continue;
        if (!c) {
          pending.push({ item, rule: r, selections, observation: null });
          continue;
        }
        if (groupKey === null) continue;
        observations.push({ ruleId: r.id, customerId: alert.customerId, correlation: c, groupKey, at: alert.at, steps, value });
        pending.push({ item, rule: r, selections, observation: observations.length - 1 });
      }
    });
    const outcomes = observations.length ? await correlations.observeMany(tx, observations) : [];
    const out: RuleEvaluation[] = items.map((_, item) => ({ matches: [], failures: failures[item] }));
    for (const p of pending) {
      let correlation: RuleMatch['correlation'] = null;
      if (p.observation !== null) {
        const o = outcomes[p.observation];
        if (!o.fired) continue;
        correlation = { type: p.rule.compiled.rule.correlation!.type, groupKey: o.groupKey, count: o.count, firstAt: o.firstAt };
      }
      const rule = p.rule.compiled.rule;
      out[p.item].matches.push({
        ruleId: p.rule.id,
        version: p.rule.version,
        title: rule.title,
        level: rule.level,
        severity: LEVEL_SEVERITY[rule.level],
        tags: rule.tags,
        attackTechniques: rule.attackTechniques,
        kanshi: rule.kanshi,
        selections: p.selections,
        correlation,
      });
    }
    return out;
  }
}
