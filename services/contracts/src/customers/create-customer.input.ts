import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PLAN_CODES, PlanCode } from '@kanshi/events';


const KATAKANA = /^[\p{Script=Katakana}ー・\s\u30A0-\u30FF\uFF65-\uFF9F]+$/u;

@InputType()
export class BillingContactInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field() @IsEmail() email: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^\+?[0-9() -]{6,20}$/, { message: 'phone must be a phone number' }) phone?: string;
}

@InputType()
export class CreateCustomerInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true }) @IsOptional() @Matches(KATAKANA, { message: 'nameKana must be written in katakana' }) nameKana?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() partnerId?: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^\d{3}-?\d{4}$/, { message: 'postalCode must be a Japanese postal code (123-4567)' }) postalCode?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 500) address?: string;
  @Field({ nullable: true, description: 'Qualified invoice issuer registration number: T + 13 digits (check digit verified)' })
  @IsOptional()
  @IsString()
  invoiceRegistrationNumber?: string;
  @Field(() => BillingContactInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => BillingContactInput) billingContact?: BillingContactInput;
}

// A wholesale price list entry: what the partner pays for a plan instead of the catalogue price.
@InputType()
export class WholesalePriceInput {
  @Field(() => PlanCode) @IsIn(PLAN_CODES) plan: PlanCode;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() initialFee?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() monthlyFee?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() perEndpointMonthlyFee?: number;
}

@InputType()
export class CreatePartnerInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true }) @IsOptional() @Matches(KATAKANA, { message: 'nameKana must be written in katakana' }) nameKana?: string;
  @Field({ nullable: true, defaultValue: 0 }) @IsOptional() @IsInt() @Min(0) @Max(10000) discountBps?: number;
  @Field(() => [WholesalePriceInput], { nullable: true, description: 'Wholesale prices per plan; exclusive with discountBps' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => WholesalePriceInput)
  wholesalePrices?: WholesalePriceInput[];
  @Field({ nullable: true }) @IsOptional() @IsString() invoiceRegistrationNumber?: string;
  @Field({ nullable: true }) @IsOptional() @IsEmail() billingEmail?: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^\d{3}-?\d{4}$/, { message: 'postalCode must be a Japanese postal code (123-4567)' }) postalCode?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 500) address?: string;
}

// Replaces a partner's terms for new quotes; contracts already made keep their prices.
@InputType()
export class SetPartnerPricingInput {
  @Field(() => Int, { nullable: true, description: 'Discount off the catalogue in basis points (1000 = 10%)' }) @IsOptional() @IsInt() discountBps?: number;
  @Field(() => [WholesalePriceInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => WholesalePriceInput)
  wholesalePrices?: WholesalePriceInput[];
}
