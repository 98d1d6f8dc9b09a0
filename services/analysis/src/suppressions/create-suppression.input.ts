import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { SuppressionConditionInput } from './suppression-condition.input';

@InputType({ description: 'A new suppression: which alerts, for which customer, for how long, and why' })
export class CreateSuppressionInput {
  @Field(() => ID, { nullable: true, description: 'The customer it applies to; a customer admin may give only its own (the default for it)' })
  @IsOptional()
  @IsUUID()
  customerId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true: applies to every customer (provider staff only); give either this or customerId' })
  @IsOptional()
  @IsBoolean()
  global?: boolean | null;
  @Field(() => [SuppressionConditionInput], { description: 'Conditions an alert must all meet (1-20)' })
  @ValidateNested({ each: true })
  @Type(() => SuppressionConditionInput)
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  match: SuppressionConditionInput[];
  @Field(() => String, { nullable: true, description: 'When it starts silencing (ISO 8601); now when omitted' }) @IsOptional() @IsISO8601() from?: string | null;
  @Field({ description: 'When it stops silencing (ISO 8601): required, at most 90 days ahead, so noisy rules are reviewed' }) @IsISO8601() until: string;
  @Field({ description: 'Why these alerts are noise (1-2000 characters)' }) @IsString() @Length(1, 2000) @Matches(/\S/, { message: 'reason must not be blank' }) reason: string;
}
