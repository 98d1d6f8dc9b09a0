import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, SOC_SEVERITIES, SOC_SEVERITY_MEANINGS, SocSeverity } from '@kanshi/events';
import { SIGMA_LEVELS, type SigmaLevel } from './sigma/sigma-rule';

// The SOC's severity (libs/events), under the name analysis' schema has always used.
export const RuleSeverity = enumOf(SOC_SEVERITIES);
registerEnumType(RuleSeverity, {
  name: 'RuleSeverity',
  description: 'The SOC severity a matching alert is given (the same HIGH / MEDIUM / LOW as an incident)',
  valuesMap: Object.fromEntries(SOC_SEVERITIES.map((s) => [s, { description: SOC_SEVERITY_MEANINGS[s] }])),
});

// Sigma's levels; the GraphQL names are upper-case, the values the YAML's.
export const RuleLevel = Object.fromEntries(SIGMA_LEVELS.map((l) => [l.toUpperCase(), l])) as Record<Uppercase<SigmaLevel>, SigmaLevel>;
const LEVEL_MEANINGS: Record<SigmaLevel, string> = {
  informational: 'For statistics only (severity LOW)',
  low: 'Notable, little effect (severity LOW)',
  medium: 'Worth an analyst’s look (severity MEDIUM)',
  high: 'Likely an attack that needs action (severity HIGH)',
  critical: 'An attack in progress (severity HIGH)',
};
registerEnumType(RuleLevel, {
  name: 'RuleLevel',
  description: "The rule's Sigma level, which decides the severity a matching alert is given",
  valuesMap: Object.fromEntries(SIGMA_LEVELS.map((l) => [l.toUpperCase(), { description: LEVEL_MEANINGS[l] }])),
});

@ObjectType('DetectionRule', { description: 'A provider-wide rule in Sigma YAML deciding which alerts matter and how severe they are (provider staff only)' })
@Directive('@key(fields: "id")')
export class DetectionRuleObject {
  @Field(() => ID, { description: 'Rule id' }) id: string;
  @Field({ description: "The rule's title, unique" }) name: string;
  @Field({ description: 'What the rule detects and why; empty when not given' }) description: string;
  @Field(() => [String], { description: 'Sensor products the rule applies to (from its logsource)' }) products: string[];
  @Field(() => RuleSeverity, { description: 'Severity given to a matching alert (from the level)' }) severity: SocSeverity;
  @Field({ description: 'Whether analysis evaluates the rule (for customers it is not disabled for)' }) enabled: boolean;
  @Field({ description: 'When the rule was created' }) createdAt: Date;
  @Field({ description: 'The rule in Sigma YAML, with Kanshi extensions (docs/analysis.md)' }) yaml: string;
  @Field(() => Int, { description: 'Starts at 1; every update adds one' }) version: number;
  @Field(() => RuleLevel, { description: "The rule's Sigma level" }) level: SigmaLevel;
  @Field(() => [String], { description: 'MITRE ATT&CK technique ids from the tags, e.g. T1059.001' }) attackTechniques: string[];
  @Field(() => [String], { description: "The rule's Sigma tags, e.g. attack.execution" }) tags: string[];
  @Field(() => String, { nullable: true, description: 'Why analysis turned the rule off (it failed on an alert); null when it did not' }) lastError: string | null;
}
