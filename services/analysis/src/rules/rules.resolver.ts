import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { CreateDetectionRuleInput } from './create-detection-rule.input';
import { DetectionRuleTestResultObject } from './detection-rule-test.object';
import { DetectionRuleObject } from './detection-rule.object';
import { RulesPermissions } from './rules.permissions';
import { RulesService } from './rules.service';
import { UpdateDetectionRuleInput } from './update-detection-rule.input';

@Resolver(() => DetectionRuleObject)
export class RulesResolver {
  constructor(private readonly service: RulesService) {}

  @Query(() => [DetectionRuleObject], { description: 'Every detection rule, by name' })
  @CallableBy(RulesPermissions.readRules)
  detectionRules(@CurrentPrincipal() principal: Principal) {
    return this.service.list(principal);
  }

  @Mutation(() => DetectionRuleObject, { description: 'Adds a detection rule from Sigma YAML, version 1, enabled for every customer at once' })
  @CallableBy(RulesPermissions.createRules)
  createDetectionRule(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The rule' }) input: CreateDetectionRuleInput) {
    return this.service.create(principal, input);
  }

  @Mutation(() => DetectionRuleObject, { description: 'Changes a rule (its YAML, its enabled flag or both) as its next version' })
  @CallableBy(RulesPermissions.updateRules)
  updateDetectionRule(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID, description: 'The rule' }) id: string,
    @Args('input', { description: 'What changes' }) input: UpdateDetectionRuleInput,
  ) {
    return this.service.update(principal, id, input);
  }

  @Mutation(() => DetectionRuleObject, { description: 'Turns a rule off (or back on) for one customer; rules are on for every customer unless turned off here' })
  @CallableBy(RulesPermissions.updateRules)
  setDetectionRuleForCustomer(
    @CurrentPrincipal() principal: Principal,
    @Args('ruleId', { type: () => ID, description: 'The rule' }) ruleId: string,
    @Args('customerId', { type: () => ID, description: 'The customer' }) customerId: string,
    @Args('enabled', { description: 'Whether the rule runs on this customer’s alerts' }) enabled: boolean,
  ) {
    return this.service.setForCustomer(principal, ruleId, customerId, enabled);
  }

  @Query(() => [DetectionRuleTestResultObject], { description: 'Runs Sigma YAML over sample ECS events in order, saving nothing: which events match (correlations count across the list)' })
  @CallableBy(RulesPermissions.testRules)
  testDetectionRule(
    @CurrentPrincipal() principal: Principal,
    @Args('yaml', { description: 'The rule under test' }) yaml: string,
    @Args('events', { type: () => [GraphQLJSON], description: `Sample events as ECS documents (up to 500), oldest first; kanshi.product and @timestamp are used when present` })
    events: unknown[],
  ) {
    return this.service.test(principal, yaml, events);
  }
}
