import { Directive, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PlanCode } from '@kanshi/events';


@ObjectType('BillingContact', { description: 'Whom invoices for a customer are sent to' })
export class BillingContactObject {
  @Field({ description: "The contact's name" }) name: string;
  @Field({ description: 'Where invoice mail goes' }) email: string;
  @Field({ nullable: true, description: 'A phone number; null when not given' }) phone?: string;
}

@ObjectType('Customer', { description: 'A company the SOC monitors, served directly or through a partner. Provider staff see every customer, a partner its own customers, a customer itself.' })
@Directive('@key(fields: "id")')
export class CustomerObject {
  @Field(() => ID, { description: "The customer's id, the tenant key across all subgraphs" }) id: string;
  @Field({ description: 'Company name' }) name: string;
  @Field({ nullable: true, description: 'Company name in katakana, for sorting; null when not given' }) nameKana?: string;
  @Field(() => ID, { nullable: true, description: 'null for a direct customer of the provider' }) partnerId?: string;
  @Field({ nullable: true, description: 'Japanese postal code (123-4567); null when not given' }) postalCode?: string;
  @Field({ nullable: true, description: 'Postal address; null when not given' }) address?: string;
  @Field({ nullable: true, description: 'Qualified invoice issuer registration number: T + 13 digits' }) invoiceRegistrationNumber?: string;
  @Field(() => BillingContactObject, { nullable: true, description: 'Whom invoices go to; null when not given' }) billingContact?: BillingContactObject;
  @Field({ description: 'When the customer was created (UTC instant)' }) createdAt: Date;
}

@ObjectType('WholesalePrice', { description: 'What a partner pays for a plan instead of the catalogue price. Integer JPY before tax; null means the catalogue price (less any discount) applies.' })
export class WholesalePriceObject {
  @Field(() => PlanCode, { description: 'The plan the prices apply to' }) plan: PlanCode;
  @Field(() => Int, { nullable: true, description: 'One-time fee (JPY); null for the catalogue price' }) initialFee?: number;
  @Field(() => Int, { nullable: true, description: 'Monthly fee (JPY); null for the catalogue price' }) monthlyFee?: number;
  @Field(() => Int, { nullable: true, description: 'Monthly fee per managed endpoint (JPY); null for the catalogue price' }) perEndpointMonthlyFee?: number;
}

@ObjectType('Partner', { description: "A reseller that sells the SOC's plans to its own customers and is invoiced for them. Provider staff see every partner, a partner itself." })
@Directive('@key(fields: "id")')
export class PartnerObject {
  @Field(() => ID, { description: "The partner's id" }) id: string;
  @Field({ description: 'Company name' }) name: string;
  @Field({ nullable: true, description: 'Company name in katakana; null when not given' }) nameKana?: string;
  @Field({ description: 'Discount off the catalogue in basis points (1000 = 10%)' }) discountBps: number;
  @Field(() => Int, { description: "The largest discount (basis points) the partner may give in its own quotes without provider approval" }) quoteDiscountLimitBps: number;
  @Field(() => Int, { description: "The most the partner's own quotes may charge in custom lines (JPY, in all) without provider approval" }) quoteCustomLinesLimit: number;
  @Field({ nullable: true, description: 'Qualified invoice issuer registration number (T + 13 digits); null when not given' }) invoiceRegistrationNumber?: string;
  @Field({ nullable: true, description: 'Where partner invoices are mailed; null when not given' }) billingEmail?: string;
  @Field({ nullable: true, description: 'Japanese postal code (123-4567); null when not given' }) postalCode?: string;
  @Field({ nullable: true, description: 'Postal address; null when not given' }) address?: string;
  @Field({ description: 'When the partner was created (UTC instant)' }) createdAt: Date;
}
