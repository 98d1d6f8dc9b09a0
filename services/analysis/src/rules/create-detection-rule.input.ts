import { Field, InputType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArrayMaxSize, IsEnum, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { RuleSeverity } from './detection-rule.object';

@InputType()
export class CreateDetectionRuleInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(0, 5000) description?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(20) @IsString({ each: true }) products?: string[];
  @Field(() => RuleSeverity) @IsEnum(RuleSeverity) severity: RuleSeverity;
  @Field(() => GraphQLJSONObject) @IsObject() condition: Record<string, unknown>;
}
