import { Field, InputType, Int } from '@nestjs/graphql';
import { IsIn, IsInt, IsOptional, IsString, Length } from 'class-validator';
import { OPTION_CODES, OptionCode, PLAN_CODES, PlanCode } from '@kanshi/events';
import { CalendarDateScalar } from '../common/calendar-date.scalar';


// A new catalogue version of one plan. Omitted fields keep the current version's values.
@InputType({ description: "A new catalogue version of one plan; omitted fields keep the current version's values. Prices are integer JPY before tax." })
export class UpdatePlanInput {
  @Field(() => PlanCode, { description: 'The plan to reprice' }) @IsIn(PLAN_CODES) code: PlanCode;
  @Field(() => Int, { nullable: true, description: 'One-time fee (JPY); null for quoted individually' }) @IsOptional() @IsInt() initialFee?: number | null;
  @Field(() => Int, { nullable: true, description: 'Monthly fee (JPY); null for quoted individually or billed per endpoint' }) @IsOptional() @IsInt() monthlyFee?: number | null;
  @Field(() => Int, { nullable: true, description: 'Monthly fee per managed endpoint (JPY); null when not billed per endpoint' }) @IsOptional() @IsInt() perEndpointMonthlyFee?: number | null;
  @Field({ nullable: true, description: "The plan's name in English (1 to 200 characters)" }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @Field({ nullable: true, description: "The plan's name in Japanese (1 to 200 characters)" }) @IsOptional() @IsString() @Length(1, 200) nameJa?: string;
  @Field(() => CalendarDateScalar, { nullable: true, description: 'Default: today (JST). Never in the past.' }) @IsOptional() @IsString() effectiveFrom?: string;
}

@InputType({ description: "A new catalogue version of one option; omitted fields keep the current version's values. Prices are integer JPY before tax." })
export class UpdateOptionInput {
  @Field(() => OptionCode, { description: 'The option to reprice' }) @IsIn(OPTION_CODES) code: OptionCode;
  @Field(() => Int, { nullable: true, description: 'Amount added to the initial fee (JPY)' }) @IsOptional() @IsInt() initialFee?: number | null;
  @Field(() => Int, { nullable: true, description: 'Amount added to the monthly fee (JPY)' }) @IsOptional() @IsInt() monthlyFee?: number | null;
  @Field(() => CalendarDateScalar, { nullable: true, description: 'First day (Asia/Tokyo) the new prices apply to new quotes; today when omitted, never in the past' }) @IsOptional() @IsString() effectiveFrom?: string;
}
