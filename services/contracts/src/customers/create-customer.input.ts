import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

@InputType()
export class BillingContactInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field() @IsEmail() email: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^\+?[0-9() -]{6,20}$/, { message: 'phone must be a phone number' }) phone?: string;
}

@InputType()
export class CreateCustomerInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^[\p{Script=Katakana}ー・\s\u30A0-\u30FF\uFF65-\uFF9F]+$/u, { message: 'nameKana must be written in katakana' }) nameKana?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() partnerId?: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^\d{3}-?\d{4}$/, { message: 'postalCode must be a Japanese postal code (123-4567)' }) postalCode?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 500) address?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() invoiceRegistrationNumber?: string;
  @Field(() => BillingContactInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => BillingContactInput) billingContact?: BillingContactInput;
}

@InputType()
export class CreatePartnerInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true }) @IsOptional() @IsString() nameKana?: string;
  @Field({ nullable: true, defaultValue: 0 }) @IsOptional() @IsInt() @Min(0) @Max(10000) discountBps?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() invoiceRegistrationNumber?: string;
  @Field({ nullable: true }) @IsOptional() @IsEmail() billingEmail?: string;
}
