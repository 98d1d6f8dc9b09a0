import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { CreateDetectionRuleInput } from './create-detection-rule.input';
import { DetectionRuleObject } from './detection-rule.object';
import { RulesPermissions } from './rules.permissions';
import { RulesService } from './rules.service';

@Resolver(() => DetectionRuleObject)
export class RulesResolver {
  constructor(private readonly service: RulesService) {}

  @Query(() => [DetectionRuleObject], { description: 'Every detection rule, by name' })
  @CallableBy(RulesPermissions.readRules)
  detectionRules(@CurrentPrincipal() principal: Principal) {
    return this.service.list(principal);
  }

  @Mutation(() => DetectionRuleObject, { description: 'Adds a detection rule, enabled at once' })
  @CallableBy(RulesPermissions.createRules)
  createDetectionRule(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The rule' }) input: CreateDetectionRuleInput) {
    return this.service.create(principal, input);
  }
}
