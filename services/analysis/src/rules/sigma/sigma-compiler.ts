// Turns a parsed rule into predicates on an alert's ECS document. Compiled once per rule load;
// evaluating an event builds no regular expression and allocates little.
import type { SensorProductCode } from '@kanshi/events';
import type { ConditionNode, SigmaDetection, SigmaRule } from './sigma-rule';
import { compileField, type DocPredicate } from './sigma-values';

export interface MatchContext {
  product: SensorProductCode;
}

export interface CompiledDetection {
  /** The names of the selections that matched when the condition holds, else null. */
  evaluate(ecs: Record<string, unknown>): string[] | null;
}

export interface CompiledRule {
  readonly rule: SigmaRule;
  /** Whether the event (from `ctx.product`) matches the rule's own detection, or any step of an ordered sequence. */
  matches(ecs: Record<string, unknown>, ctx: MatchContext): boolean;
  /** The selections that matched (the rule's detection), or null when it does not match. */
  selectionsMatched(ecs: Record<string, unknown>, ctx: MatchContext): string[] | null;
  /** temporal_ordered: the indexes of the steps the event matches (usually none or one). */
  stepsMatched(ecs: Record<string, unknown>, ctx: MatchContext): number[];
}

export function compileDetection(detection: SigmaDetection): CompiledDetection {
  const names = detection.selections.map((s) => s.name);
  const preds: DocPredicate[] = detection.selections.map((s) => {
    const alternatives = s.anyOf.map((fields) => {
      const ps = fields.map(compileField);
      return ps.length === 1 ? ps[0] : (doc: Record<string, unknown>) => ps.every((p) => p(doc));
    });
    return alternatives.length === 1 ? alternatives[0] : (doc) => alternatives.some((p) => p(doc));
  });
  const index = new Map(names.map((n, k) => [n, k]));
  // Per event: 0 unknown, 1 true, 2 false; a selection is evaluated at most once and only when needed.
  type Node = (doc: Record<string, unknown>, memo: Uint8Array) => boolean;
  const sel = (k: number, doc: Record<string, unknown>, memo: Uint8Array): boolean => {
    if (memo[k] === 0) memo[k] = preds[k](doc) ? 1 : 2;
    return memo[k] === 1;
  };
  const build = (node: ConditionNode): Node => {
    switch (node.op) {
      case 'ref': {
        const k = index.get(node.name)!;
        return (doc, memo) => sel(k, doc, memo);
      }
      case 'and': {
        const args = node.args.map(build);
        return (doc, memo) => args.every((a) => a(doc, memo));
      }
      case 'or': {
        const args = node.args.map(build);
        return (doc, memo) => args.some((a) => a(doc, memo));
      }
      case 'not': {
        const arg = build(node.arg);
        return (doc, memo) => !arg(doc, memo);
      }
      case 'of': {
        const ks = node.names.map((n) => index.get(n)!);
        const need = node.quantity === 'all' ? ks.length : node.quantity;
        return (doc, memo) => {
          let hits = 0;
          for (const k of ks) if (sel(k, doc, memo) && ++hits >= need) return true;
          return false;
        };
      }
    }
  };
  const condition = build(detection.condition);
  // Reused across events: evaluation is synchronous, so one event's memo never meets another's.
  const memo = new Uint8Array(preds.length);
  return {
    evaluate(ecs) {
      memo.fill(0);
      if (!condition(ecs, memo)) return null;
      // Name every matching selection (those the condition skipped are evaluated now).
      return names.filter((_, k) => sel(k, ecs, memo));
    },
  };
}

export function compileRule(rule: SigmaRule): CompiledRule {
  const products = new Set(rule.products);
  const detection = rule.detection ? compileDetection(rule.detection) : null;
  const steps = (rule.correlation?.steps ?? []).map((s) => ({ products: new Set(s.products), detection: compileDetection(s.detection) }));
  const selectionsMatched = (ecs: Record<string, unknown>, ctx: MatchContext): string[] | null => (detection && products.has(ctx.product) ? detection.evaluate(ecs) : null);
  const stepsMatched = (ecs: Record<string, unknown>, ctx: MatchContext): number[] => {
    const out: number[] = [];
    steps.forEach((s, k) => {
      if (s.products.has(ctx.product) && s.detection.evaluate(ecs)) out.push(k);
    });
    return out;
  };
  return {
    rule,
    selectionsMatched,
    stepsMatched,
    matches: (ecs, ctx) => (detection ? selectionsMatched(ecs, ctx) !== null : stepsMatched(ecs, ctx).length > 0),
  };
}
