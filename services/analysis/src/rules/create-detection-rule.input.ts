import { Field, InputType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArrayMaxSize, IsEnum, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { SocSeverity } from '@kanshi/events';
import { RuleSeverity } from './detection-rule.object';

@InputType({ description: 'A new detection rule' })
export class CreateDetectionRuleInput {
  @Field({ description: 'Short name (1-200 characters)' }) @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true, description: 'What the rule detects and why (up to 5000 characters)' }) @IsOptional() @IsString() @Length(0, 5000) description?: string;
  @Field(() => [String], { nullable: true, description: 'Sensor products the rule applies to (up to 20); all when omitted' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  products?: string[];
  @Field(() => RuleSeverity, { description: 'Severity given to a matching alert' }) @IsEnum(RuleSeverity) severity: SocSeverity;
  @Field(() => GraphQLJSONObject, { description: 'A "field" and one operator of eq, gte, lte, in, contains, exists' }) @IsObject() condition: Record<string, unknown>;
}
