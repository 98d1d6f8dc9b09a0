import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { enumOf, SOC_SEVERITIES, SOC_SEVERITY_MEANINGS, SocSeverity } from '@kanshi/events';

// The SOC's severity (libs/events), under the name analysis' schema has always used.
export const RuleSeverity = enumOf(SOC_SEVERITIES);
registerEnumType(RuleSeverity, {
  name: 'RuleSeverity',
  description: 'The SOC severity a matching alert is given (the same HIGH / MEDIUM / LOW as an incident)',
  valuesMap: Object.fromEntries(SOC_SEVERITIES.map((s) => [s, { description: SOC_SEVERITY_MEANINGS[s] }])),
});

@ObjectType('DetectionRule', { description: 'A provider-wide rule deciding which alerts matter and how severe they are (provider staff only)' })
@Directive('@key(fields: "id")')
export class DetectionRuleObject {
  @Field(() => ID, { description: 'Rule id' }) id: string;
  @Field({ description: 'Short name, unique by convention' }) name: string;
  @Field({ description: 'What the rule detects and why; empty when not given' }) description: string;
  @Field(() => [String], { description: 'Sensor products the rule applies to; empty for all' }) products: string[];
  @Field(() => RuleSeverity, { description: 'Severity given to a matching alert' }) severity: SocSeverity;
  @Field(() => GraphQLJSONObject, { description: 'Condition on normalized (ECS) alert fields, e.g. {"field":"event.severity","gte":73}' }) condition: Record<string, unknown>;
  @Field({ description: 'Whether analysis evaluates the rule' }) enabled: boolean;
  @Field({ description: 'When the rule was created' }) createdAt: Date;
}
