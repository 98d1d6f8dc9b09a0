import { EntityManager } from 'typeorm';
import { SensorProductCode, SocSeverity } from '@kanshi/events';

// The detection-rule engine as analysis' pipeline calls it. The Sigma engine (rules module) is
// bound to RULE_ENGINE at merge; until then app wiring binds NoRuleEngine.
export const RULE_ENGINE = Symbol('RULE_ENGINE');

export type RuleLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface BilingualText {
  en: string;
  ja: string;
}

export interface RuleMatch {
  ruleId: string;
  version: number;
  title: string;
  level: RuleLevel;
  severity: SocSeverity;
  tags: string[];
  attackTechniques: string[];
  kanshi: { reason: BilingualText; actions: BilingualText[]; blockedMeans?: BilingualText; isolate: boolean } | null;
  selections: string[];
  correlation: { type: string; groupKey: string; count: number; firstAt: string | Date } | null;
}

export interface RuleFailure {
  ruleId: string;
  version: number;
  error: string;
}

export interface RuleEngineAlert {
  customerId: string;
  product: SensorProductCode;
  ecs: Record<string, unknown>;
  at: Date;
}

export interface RuleEngine {
  // Window and sequence state is written through `tx`, the alert's transaction.
  evaluate(tx: EntityManager, alert: RuleEngineAlert): Promise<{ matches: RuleMatch[]; failures: RuleFailure[] }>;
  // A rule that threw: disabled with its error recorded; the other rules keep running.
  disable?(ruleId: string, version: number, error: string): Promise<void>;
}
