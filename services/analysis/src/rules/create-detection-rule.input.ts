import { Field, InputType } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';

@InputType({ description: 'A new detection rule' })
export class CreateDetectionRuleInput {
  @Field({ description: 'The rule in Sigma YAML (docs/analysis.md), up to 256 KB; enabled for every customer at once' }) @IsString() @Length(1, 262144) yaml: string;
}
