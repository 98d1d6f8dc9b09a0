import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@kanshi/auth';
import { DomainError } from '@kanshi/errors';
import { CreateDetectionRuleInput } from './create-detection-rule.input';
import { DetectionRuleEntity } from './detection-rule.entity';
import { DetectionRuleObject } from './detection-rule.object';

const CONDITION_OPS = ['eq', 'gte', 'lte', 'in', 'contains', 'exists'];

@Resolver(() => DetectionRuleObject)
export class RulesResolver {
  constructor(private readonly ds: DataSource) {}

  @Query(() => [DetectionRuleObject])
  @Roles('provider_admin', 'analyst', 'engineer')
  detectionRules() {
    return this.ds.getRepository(DetectionRuleEntity).find({ order: { name: 'ASC' } });
  }

  @Mutation(() => DetectionRuleObject)
  @Roles('provider_admin', 'analyst')
  createDetectionRule(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateDetectionRuleInput) {
    const c = input.condition;
    if (typeof c.field !== 'string' || !Object.keys(c).some((k) => CONDITION_OPS.includes(k))) {
      throw new DomainError('BAD_USER_INPUT', `condition must name a field and one of ${CONDITION_OPS.join(', ')}`, 'condition');
    }
    const repo = this.ds.getRepository(DetectionRuleEntity);
    return repo.save(repo.create({ ...input, description: input.description ?? '', products: input.products ?? [], createdBy: principal.subject }));
  }
}
