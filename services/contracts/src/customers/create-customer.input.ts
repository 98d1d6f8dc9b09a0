import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PLAN_CODES, PlanCode } from '@kanshi/events';


const KATAKANA = /^[\p{Script=Katakana}ー・\s\u30A0-\u30FF\uFF65-\uFF9F]+$/u;

@InputType({ description: 'Whom invoices for a customer are sent to' })
export class BillingContactInput {
  @Field({ description: "The contact's name (1 to 200 characters)" }) @IsString() @Length(1, 200) name: string;
  @Field({ description: 'Where invoice mail goes' }) @IsEmail() email: string;
  @Field({ nullable: true, description: 'A phone number; optional' }) @IsOptional() @Matches(/^\+?[0-9() -]{6,20}$/, { message: 'phone must be a phone number' }) phone?: string;
}

@InputType({ description: 'A new customer' })
export class CreateCustomerInput {
  @Field({ description: 'Company name (1 to 200 characters)' }) @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true, description: 'Company name in katakana; optional' }) @IsOptional() @Matches(KATAKANA, { message: 'nameKana must be written in katakana' }) nameKana?: string;
  @Field(() => ID, { nullable: true, description: 'The partner that serves the customer; omitted for a direct customer. A partner caller always creates its own customers.' }) @IsOptional() @IsUUID() partnerId?: string;
  @Field({ nullable: true, description: 'Japanese postal code (123-4567); optional' }) @IsOptional() @Matches(/^\d{3}-?\d{4}$/, { message: 'postalCode must be a Japanese postal code (123-4567)' }) postalCode?: string;
  @Field({ nullable: true, description: 'Postal address; optional' }) @IsOptional() @IsString() @Length(1, 500) address?: string;
  @Field({ nullable: true, description: 'Qualified invoice issuer registration number: T + 13 digits (check digit verified)' })
  @IsOptional()
  @IsString()
  invoiceRegistrationNumber?: string;
  @Field(() => BillingContactInput, { nullable: true, description: 'Whom invoices go to; optional' }) @IsOptional() @ValidateNested() @Type(() => BillingContactInput) billingContact?: BillingContactInput;
}

// A wholesale price list entry: what the partner pays for a plan instead of the catalogue price.
@InputType({ description: 'What the partner pays for a plan instead of the catalogue price. Integer JPY before tax; an omitted fee is the catalogue price.' })
export class WholesalePriceInput {
  @Field(() => PlanCode, { description: 'The plan the prices apply to' }) @IsIn(PLAN_CODES) plan: PlanCode;
  @Field(() => Int, { nullable: true, description: 'One-time fee (JPY); the catalogue price when omitted' }) @IsOptional() @IsInt() initialFee?: number;
  @Field(() => Int, { nullable: true, description: 'Monthly fee (JPY); the catalogue price when omitted' }) @IsOptional() @IsInt() monthlyFee?: number;
  @Field(() => Int, { nullable: true, description: 'Monthly fee per managed endpoint (JPY); the catalogue price when omitted' }) @IsOptional() @IsInt() perEndpointMonthlyFee?: number;
}

@InputType({ description: 'A new reseller partner' })
export class CreatePartnerInput {
  @Field({ description: 'Company name (1 to 200 characters)' }) @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true, description: 'Company name in katakana; optional' }) @IsOptional() @Matches(KATAKANA, { message: 'nameKana must be written in katakana' }) nameKana?: string;
  @Field({ nullable: true, defaultValue: 0, description: 'Discount off the catalogue in basis points (1000 = 10%), 0 to 10000; exclusive with wholesalePrices' }) @IsOptional() @IsInt() @Min(0) @Max(10000) discountBps?: number;
  @Field(() => [WholesalePriceInput], { nullable: true, description: 'Wholesale prices per plan; exclusive with discountBps' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => WholesalePriceInput)
  wholesalePrices?: WholesalePriceInput[];
  @Field({ nullable: true, description: 'Qualified invoice issuer registration number (T + 13 digits); optional' }) @IsOptional() @IsString() invoiceRegistrationNumber?: string;
  @Field({ nullable: true, description: 'Where partner invoices are mailed; optional' }) @IsOptional() @IsEmail() billingEmail?: string;
  @Field({ nullable: true, description: 'Japanese postal code (123-4567); optional' }) @IsOptional() @Matches(/^\d{3}-?\d{4}$/, { message: 'postalCode must be a Japanese postal code (123-4567)' }) postalCode?: string;
  @Field({ nullable: true, description: 'Postal address; optional' }) @IsOptional() @IsString() @Length(1, 500) address?: string;
}

// Replaces a partner's terms for new quotes; contracts already made keep their prices.
@InputType({ description: "A partner's new price terms for new quotes: a discount or wholesale prices, not both" })
export class SetPartnerPricingInput {
  @Field(() => Int, { nullable: true, description: 'Discount off the catalogue in basis points (1000 = 10%)' }) @IsOptional() @IsInt() discountBps?: number;
  @Field(() => [WholesalePriceInput], { nullable: true, description: 'Wholesale prices per plan; exclusive with discountBps' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => WholesalePriceInput)
  wholesalePrices?: WholesalePriceInput[];
  @Field(() => Int, { nullable: true, description: "The largest discount (basis points of the quote's lines, 1000 = 10%) the partner may give in its own quotes without provider approval; unchanged when omitted (0 until set)" })
  @IsOptional()
  @IsInt()
  quoteDiscountLimitBps?: number;
  @Field(() => Int, { nullable: true, description: "The most the partner's own quotes may charge in custom lines (JPY, in all) without provider approval; unchanged when omitted (0 until set). Custom lines at 0 yen always need approval." })
  @IsOptional()
  @IsInt()
  quoteCustomLinesLimit?: number;
}
