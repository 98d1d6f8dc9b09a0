import { Injectable } from '@nestjs/common';
import { RuleEngine, RuleFailure, RuleMatch } from './rule-engine.port';

// TO BE REPLACED AT MERGE by the Sigma rule engine (rules module): matches nothing, so verdicts
// rest on IOC hits, reputation, blocking and asset value until then.
@Injectable()
export class NoRuleEngine implements RuleEngine {
  evaluate(): Promise<{ matches: RuleMatch[]; failures: RuleFailure[] }> {
    return Promise.resolve({ matches: [], failures: [] });
  }
}
