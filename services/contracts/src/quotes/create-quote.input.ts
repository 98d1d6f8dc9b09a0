import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { OPTION_CODES, OptionCode, PLAN_CODES, PlanCode, SERVICE_HOURS, ServiceHours } from '@kanshi/events';

import { CalendarDateScalar } from '../common/calendar-date.scalar';

export enum LineRecurrence {
  INITIAL = 'initial',
  MONTHLY = 'monthly',
  ONE_OFF = 'one_off',
}
registerEnumType(LineRecurrence, { name: 'LineRecurrence', description: 'INITIAL: with the first invoice; MONTHLY: every month in service; ONE_OFF: once' });

// A line sales enters: the whole price of a quote-only plan, or an extra on a catalogue plan.
@InputType('QuoteLineInput')
export class QuoteLineInput {
  @Field() @IsString() @Length(1, 500) description: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 500) descriptionJa?: string;
  @Field(() => Int) @IsInt() quantity: number;
  @Field(() => Int, { description: 'JPY' }) @IsInt() unitPrice: number;
  @Field(() => LineRecurrence, { nullable: true, description: 'ONE_OFF when omitted' }) @IsOptional() @IsIn(Object.values(LineRecurrence)) recurring?: LineRecurrence;
  @Field(() => Int, { nullable: true, description: 'Percent; 10 by default' }) @IsOptional() @IsInt() taxRate?: number;
}

// Either a percentage off every line, or an amount off once.
@InputType('QuoteDiscountInput')
export class QuoteDiscountInput {
  @Field(() => Float, { nullable: true, description: 'e.g. 10 or 12.5' }) @IsOptional() @IsNumber() percent?: number;
  @Field(() => Int, { nullable: true, description: 'JPY off once' }) @IsOptional() @IsInt() amount?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() taxRate?: number;
}

@InputType()
export class CreateQuoteInput {
  @Field(() => ID) @IsString() customerId: string;
  @Field(() => PlanCode) @IsIn(PLAN_CODES) plan: PlanCode;
  @Field(() => ServiceHours, { nullable: true, description: 'Required when the plan offers both' }) @IsOptional() @IsIn(SERVICE_HOURS) serviceHours?: ServiceHours;
  @Field(() => [OptionCode], { nullable: true }) @IsOptional() @IsArray() @IsIn(OPTION_CODES, { each: true }) options?: OptionCode[];
  @Field(() => Int, { nullable: true, description: 'Managed endpoints (MDR)' }) @IsOptional() @IsInt() endpointCount?: number;
  @Field(() => Int, { nullable: true, defaultValue: 12, description: 'Term in months' }) @IsOptional() @IsInt() termMonths?: number;
  @Field(() => CalendarDateScalar, { description: 'First day of service (JST)' }) @IsString() startDate: string;
  @Field(() => [QuoteLineInput], { nullable: true }) @IsOptional() @ValidateNested({ each: true }) @Type(() => QuoteLineInput) customLines?: QuoteLineInput[];
  @Field(() => QuoteDiscountInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => QuoteDiscountInput) discount?: QuoteDiscountInput;
  @Field(() => Int, { nullable: true, description: 'Days the quote can be accepted; the service default otherwise' }) @IsOptional() @IsInt() validDays?: number;
}
