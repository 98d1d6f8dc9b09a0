import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';

@InputType({ description: 'Changes to a detection rule; each update makes a new version' })
export class UpdateDetectionRuleInput {
  @Field({ nullable: true, description: 'The new Sigma YAML; unchanged when omitted' }) @IsOptional() @IsString() @Length(1, 262144) yaml?: string;
  @Field({ nullable: true, description: 'Turns the rule on or off for every customer; unchanged when omitted' }) @IsOptional() @IsBoolean() enabled?: boolean;
}
