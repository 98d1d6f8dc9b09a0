import { Injectable } from '@nestjs/common';
import { authorize, Principal } from '@kanshi/auth';
import { SENSOR_PRODUCTS, type SensorProductCode } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { CorrelationEngine } from './correlation/correlation-engine';
import { MemoryCorrelationStore } from './correlation/correlation-store';
import { CreateDetectionRuleInput } from './create-detection-rule.input';
import { DetectionRuleEntity } from './detection-rule.entity';
import { DetectionRuleTestResultObject } from './detection-rule-test.object';
import { RuleSet } from './evaluation/rule-set';
import { RuleError } from './rules.errors';
import { RulesPermissions } from './rules.permissions';
import { RulesRepository } from './rules.repository';
import { compileRule } from './sigma/sigma-compiler';
import { parseSigmaRule } from './sigma/sigma-parser';
import { UpdateDetectionRuleInput } from './update-detection-rule.input';

// The most sample events one testDetectionRule call judges.
export const MAX_TEST_EVENTS = 500;
// Test events without @timestamp are taken a minute apart.
const TEST_EVENT_SPACING_MS = 60_000;

@Injectable()
export class RulesService {
  constructor(
    private readonly repo: RulesRepository,
    private readonly directory: TenantDirectory,
  ) {}

  async list(principal: Principal): Promise<DetectionRuleEntity[]> {
    authorize(principal, RulesPermissions.readRules);
    return this.repo.list();
  }

  async create(principal: Principal, input: CreateDetectionRuleInput): Promise<DetectionRuleEntity> {
    authorize(principal, RulesPermissions.createRules);
    const rule = parseSigmaRule(input.yaml);
    compileRule(rule);
    return this.repo.insert({ yaml: input.yaml, rule }, principal.subject);
  }

  async update(principal: Principal, id: string, input: UpdateDetectionRuleInput): Promise<DetectionRuleEntity> {
    authorize(principal, RulesPermissions.updateRules);
    if (input.yaml === undefined && input.enabled === undefined) throw new RuleError('INVALID_RULE', 'give yaml, enabled, or both', 'input');
    const write = input.yaml !== undefined ? { yaml: input.yaml, rule: parseSigmaRule(input.yaml) } : undefined;
    const updated = await this.repo.update(id, { write, enabled: input.enabled }, principal.subject);
    if (!updated) throw new RuleError('RULE_NOT_FOUND', `detection rule ${id} not found`, 'id');
    return updated;
  }

  async setForCustomer(principal: Principal, ruleId: string, customerId: string, enabled: boolean): Promise<DetectionRuleEntity> {
    authorize(principal, RulesPermissions.updateRules);
    await this.directory.visibleCustomerOrThrow(principal, customerId);
    const rule = await this.repo.findById(ruleId);
    if (!rule) throw new RuleError('RULE_NOT_FOUND', `detection rule ${ruleId} not found`, 'ruleId');
    await this.repo.setForCustomer(ruleId, customerId, enabled, principal.subject);
    return rule;
  }

  /**
   * Runs the rule over sample events in order, without saving anything: each event's product is
   * its kanshi.product (the parsers set it) or the rule's first; correlations count in memory.
   */
  async test(principal: Principal, yaml: string, events: unknown[]): Promise<DetectionRuleTestResultObject[]> {
    authorize(principal, RulesPermissions.testRules);
    if (events.length > MAX_TEST_EVENTS) throw new RuleError('INVALID_RULE', `at most ${MAX_TEST_EVENTS} events per test`, 'events');
    const bad = events.findIndex((e) => typeof e !== 'object' || e === null || Array.isArray(e));
    if (bad >= 0) throw new RuleError('INVALID_RULE', `event ${bad} is not an ECS document (a JSON object)`, 'events');
    const rule = parseSigmaRule(yaml);
    const set = new RuleSet([{ id: 'test', version: 1, compiled: compileRule(rule) }]);
    const engine = new CorrelationEngine(new MemoryCorrelationStore());
    const start = Date.now();
    const results: DetectionRuleTestResultObject[] = [];
    for (const [index, ecs] of (events as Record<string, unknown>[]).entries()) {
      const product = productOf(ecs) ?? rule.products[0];
      const at = timeOf(ecs) ?? new Date(start + index * TEST_EVENT_SPACING_MS);
      const { matches, failures } = await set.evaluate(null, { customerId: 'test', product, ecs, at }, engine);
      if (failures.length) throw new RuleError('INVALID_RULE', `the rule failed on event ${index}: ${failures[0].error}`, 'yaml');
      results.push({ index, matched: matches.length > 0, selections: matches[0]?.selections ?? [], product });
    }
    return results;
  }
}

function productOf(ecs: Record<string, unknown>): SensorProductCode | null {
  const p = (ecs.kanshi as { product?: unknown } | undefined)?.product;
  return typeof p === 'string' && (SENSOR_PRODUCTS as readonly string[]).includes(p) ? (p as SensorProductCode) : null;
}

function timeOf(ecs: Record<string, unknown>): Date | null {
  const t = ecs['@timestamp'];
  if (typeof t !== 'string') return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}
