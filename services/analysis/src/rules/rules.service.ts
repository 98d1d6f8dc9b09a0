import { Injectable } from '@nestjs/common';
import { authorize, Principal } from '@kanshi/auth';
import { CreateDetectionRuleInput } from './create-detection-rule.input';
import { DetectionRuleEntity } from './detection-rule.entity';
import { RuleError } from './rules.errors';
import { RulesPermissions } from './rules.permissions';
import { RulesRepository } from './rules.repository';

// The operators analysis can evaluate on an alert field.
export const CONDITION_OPS = ['eq', 'gte', 'lte', 'in', 'contains', 'exists'] as const;

@Injectable()
export class RulesService {
  constructor(private readonly repo: RulesRepository) {}

  async list(principal: Principal): Promise<DetectionRuleEntity[]> {
    authorize(principal, RulesPermissions.readRules);
    return this.repo.list();
  }

  async create(principal: Principal, input: CreateDetectionRuleInput): Promise<DetectionRuleEntity> {
    authorize(principal, RulesPermissions.createRules);
    const c = input.condition;
    if (typeof c.field !== 'string' || !Object.keys(c).some((k) => (CONDITION_OPS as readonly string[]).includes(k))) {
      throw new RuleError('INVALID_CONDITION', `condition must name a field and one of ${CONDITION_OPS.join(', ')}`, 'condition');
    }
    return this.repo.insert({
      name: input.name,
      description: input.description ?? '',
      products: input.products ?? [],
      severity: input.severity,
      condition: c,
      createdBy: principal.subject,
    });
  }
}
