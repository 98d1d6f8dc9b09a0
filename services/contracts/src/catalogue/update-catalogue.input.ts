import { Field, InputType, Int } from '@nestjs/graphql';
import { IsIn, IsInt, IsOptional, IsString, Length } from 'class-validator';
import { OPTION_CODES, OptionCode, PLAN_CODES, PlanCode } from '@kanshi/events';
import { CalendarDateScalar } from '../common/calendar-date.scalar';


// A new catalogue version of one plan. Omitted fields keep the current version's values.
@InputType()
export class UpdatePlanInput {
  @Field(() => PlanCode) @IsIn(PLAN_CODES) code: PlanCode;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() initialFee?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() monthlyFee?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() perEndpointMonthlyFee?: number | null;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) nameJa?: string;
  @Field(() => CalendarDateScalar, { nullable: true, description: 'Default: today (JST). Never in the past.' }) @IsOptional() @IsString() effectiveFrom?: string;
}

@InputType()
export class UpdateOptionInput {
  @Field(() => OptionCode) @IsIn(OPTION_CODES) code: OptionCode;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() initialFee?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() monthlyFee?: number | null;
  @Field(() => CalendarDateScalar, { nullable: true }) @IsOptional() @IsString() effectiveFrom?: string;
}
