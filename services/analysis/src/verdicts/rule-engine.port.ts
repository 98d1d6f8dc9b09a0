import { EntityManager } from 'typeorm';
import type { AlertInput, RuleFailure, RuleMatch } from '../rules/evaluation/rule-set';
import type { SigmaLevel } from '../rules/sigma/sigma-rule';

// The detection-rule engine as analysis' pipeline calls it: the rules module's
// RuleEvaluationService, bound to RULE_ENGINE in VerdictsModule; unit specs bind a fake.
export const RULE_ENGINE = Symbol('RULE_ENGINE');

export type { RuleFailure, RuleMatch };
export type RuleLevel = SigmaLevel;
export type RuleEngineAlert = AlertInput;

export interface RuleEngine {
  // Window and sequence state is written through `tx`, the alert's transaction. A rule that
  // throws is turned off by the engine with its error; its failure is reported, the others ran.
  evaluate(tx: EntityManager, alert: RuleEngineAlert): Promise<{ matches: RuleMatch[]; failures: RuleFailure[] }>;
  // Alerts judged as evaluate() would one after another, in fewer statements (a batch's correlations at once).
  evaluateMany(tx: EntityManager, alerts: readonly RuleEngineAlert[]): Promise<{ matches: RuleMatch[]; failures: RuleFailure[] }[]>;
}
