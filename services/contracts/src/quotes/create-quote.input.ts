import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { OPTION_CODES, OptionCode, PLAN_CODES, PlanCode, SERVICE_HOURS, ServiceHours } from '@kanshi/events';

import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { LineRecurrence, Recurrence, RECURRENCES } from '../pricing/contract-prices';

registerEnumType(LineRecurrence, {
  name: 'LineRecurrence',
  description: 'When a quote line is billed',
  valuesMap: {
    INITIAL: { description: 'Once, with the first invoice' },
    MONTHLY: { description: 'Every month the service runs' },
    ONE_OFF: { description: 'Once, on the next invoice' },
  },
});

// A line sales enters: the whole price of a quote-only plan, or an extra on a catalogue plan.
@InputType('QuoteLineInput', { description: 'A line sales enters on a quote: the whole price of a quote-only plan (SOC design), or an extra on a catalogue plan' })
export class QuoteLineInput {
  @Field({ description: 'What the line is for, in English (1 to 500 characters)' }) @IsString() @Length(1, 500) description: string;
  @Field({ nullable: true, description: 'What the line is for, in Japanese; the English text is printed when omitted' }) @IsOptional() @IsString() @Length(1, 500) descriptionJa?: string;
  @Field(() => Int, { description: 'How many units' }) @IsInt() quantity: number;
  @Field(() => Int, { description: 'JPY' }) @IsInt() unitPrice: number;
  @Field(() => LineRecurrence, { nullable: true, description: 'ONE_OFF when omitted' }) @IsOptional() @IsIn(RECURRENCES) recurring?: Recurrence;
  @Field(() => Int, { nullable: true, description: 'Percent; 10 by default' }) @IsOptional() @IsInt() taxRate?: number;
}

// Either a percentage off every line, or an amount off once.
@InputType('QuoteDiscountInput', { description: 'A discount on a quote: either a percentage off every line, or an amount off once (give one of the two)' })
export class QuoteDiscountInput {
  @Field(() => Float, { nullable: true, description: 'e.g. 10 or 12.5' }) @IsOptional() @IsNumber() percent?: number;
  @Field(() => Int, { nullable: true, description: 'JPY off once' }) @IsOptional() @IsInt() amount?: number;
  @Field(() => Int, { nullable: true, description: 'Consumption tax rate (percent) the amount off applies to; 10 by default' }) @IsOptional() @IsInt() taxRate?: number;
}

@InputType({ description: 'What a quote is priced from' })
export class CreateQuoteInput {
  @Field(() => ID, { description: 'The customer the quote is for; must be visible to the caller' }) @IsString() customerId: string;
  @Field(() => PlanCode, { description: 'The plan to quote' }) @IsIn(PLAN_CODES) plan: PlanCode;
  @Field(() => ServiceHours, { nullable: true, description: 'Required when the plan offers both' }) @IsOptional() @IsIn(SERVICE_HOURS) serviceHours?: ServiceHours;
  @Field(() => [OptionCode], { nullable: true, description: 'Options to add to the plan; none when omitted' }) @IsOptional() @IsArray() @IsIn(OPTION_CODES, { each: true }) options?: OptionCode[];
  @Field(() => Int, { nullable: true, description: 'Managed endpoints (MDR)' }) @IsOptional() @IsInt() endpointCount?: number;
  @Field(() => Int, { nullable: true, defaultValue: 12, description: 'Term in months' }) @IsOptional() @IsInt() termMonths?: number;
  @Field(() => CalendarDateScalar, { description: 'First day of service (JST)' }) @IsString() startDate: string;
  @Field(() => [QuoteLineInput], { nullable: true, description: 'Lines sales enters by hand (required for a quote-only plan)' }) @IsOptional() @ValidateNested({ each: true }) @Type(() => QuoteLineInput) customLines?: QuoteLineInput[];
  @Field(() => QuoteDiscountInput, { nullable: true, description: 'A discount on the whole quote; none when omitted' }) @IsOptional() @ValidateNested() @Type(() => QuoteDiscountInput) discount?: QuoteDiscountInput;
  @Field(() => Int, { nullable: true, description: 'Days the quote can be accepted; the service default otherwise' }) @IsOptional() @IsInt() validDays?: number;
}
