import { Directive, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PlanCode } from '@kanshi/events';


@ObjectType('BillingContact')
export class BillingContactObject {
  @Field() name: string;
  @Field() email: string;
  @Field({ nullable: true }) phone?: string;
}

@ObjectType('Customer')
@Directive('@key(fields: "id")')
export class CustomerObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ nullable: true }) nameKana?: string;
  @Field(() => ID, { nullable: true, description: 'null for a direct customer of the provider' }) partnerId?: string;
  @Field({ nullable: true }) postalCode?: string;
  @Field({ nullable: true }) address?: string;
  @Field({ nullable: true, description: 'Qualified invoice issuer registration number: T + 13 digits' }) invoiceRegistrationNumber?: string;
  @Field(() => BillingContactObject, { nullable: true }) billingContact?: BillingContactObject;
  @Field() createdAt: Date;
}

@ObjectType('WholesalePrice')
export class WholesalePriceObject {
  @Field(() => PlanCode) plan: PlanCode;
  @Field(() => Int, { nullable: true }) initialFee?: number;
  @Field(() => Int, { nullable: true }) monthlyFee?: number;
  @Field(() => Int, { nullable: true }) perEndpointMonthlyFee?: number;
}

@ObjectType('Partner')
@Directive('@key(fields: "id")')
export class PartnerObject {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ nullable: true }) nameKana?: string;
  @Field({ description: 'Discount off the catalogue in basis points (1000 = 10%)' }) discountBps: number;
  @Field({ nullable: true }) invoiceRegistrationNumber?: string;
  @Field({ nullable: true }) billingEmail?: string;
  @Field({ nullable: true }) postalCode?: string;
  @Field({ nullable: true }) address?: string;
  @Field() createdAt: Date;
}
