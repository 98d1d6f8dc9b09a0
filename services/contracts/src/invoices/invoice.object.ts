import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { connectionOf } from '@kanshi/platform';
import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { TaxByRateObject } from '../quotes/quote.object';
import { InvoiceStatus, StripeSyncStatus } from './invoice.entity';

registerEnumType(InvoiceStatus, { name: 'InvoiceStatus' });

registerEnumType(StripeSyncStatus, {
  name: 'StripeSyncStatus',
  description: 'NONE: nothing to send; PENDING: waiting for (or retrying) Stripe; SYNCED; FAILED: Stripe refused, a human must look',
});

@ObjectType('ServicePeriod')
export class ServicePeriodObject {
  @Field(() => CalendarDateScalar) from: string;
  @Field(() => CalendarDateScalar) to: string;
}

@ObjectType('Proration')
export class ProrationObject {
  @Field(() => Int) billableDays: number;
  @Field(() => Int) daysInPeriod: number;
  @Field(() => Int, { description: 'The full monthly amount it was prorated from' }) fullAmount: number;
}

@ObjectType('InvoiceLine')
export class InvoiceLineObject {
  @Field({ description: 'Stable key of the charge; a charge is billed once' }) lineKey: string;
  @Field(() => ID) customerId: string;
  @Field(() => ID, { nullable: true }) contractId: string | null;
  @Field() code: string;
  @Field() description: string;
  @Field() descriptionJa: string;
  @Field(() => Int) quantity: number;
  @Field(() => Int) unitPrice: number;
  @Field(() => Int) amount: number;
  @Field(() => Int) taxRate: number;
  @Field(() => ServicePeriodObject, { nullable: true }) servicePeriod: ServicePeriodObject | null;
  @Field(() => ProrationObject, { nullable: true }) proration: ProrationObject | null;
}

@ObjectType('InvoiceIssuer')
export class InvoiceIssuerObject {
  @Field() name: string;
  @Field({ description: 'Qualified invoice issuer registration number (T + 13 digits)' }) registrationNumber: string;
}

@ObjectType('InvoiceRecipient')
export class InvoiceRecipientObject {
  @Field({ description: 'customer or partner' }) kind: string;
  @Field(() => ID) id: string;
  @Field() name: string;
}

@ObjectType('InvoiceCustomerSubtotal')
export class InvoiceCustomerSubtotalObject {
  @Field(() => ID) customerId: string;
  @Field() name: string;
  @Field(() => Int) subtotal: number;
}

@ObjectType('Invoice')
@Directive('@key(fields: "id")')
export class InvoiceObject {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true, description: 'Gap-free per issuer and year; null while a draft' }) number: string | null;
  @Field({ description: 'YYYY-MM (a calendar month in Asia/Tokyo)' }) period: string;
  @Field(() => ID, { nullable: true, description: 'The billed customer; null on a partner invoice' }) customerId: string | null;
  @Field(() => ID, { nullable: true }) partnerId: string | null;
  @Field(() => CalendarDateScalar, { description: 'Transaction date: the closing day of the period' }) transactionDate: string;
  @Field(() => CalendarDateScalar) dueDate: string;
  @Field(() => Int) subtotal: number;
  @Field(() => Int, { description: 'Consumption tax, rounded once per rate over the invoice' }) tax: number;
  @Field(() => Int) total: number;
  @Field(() => [TaxByRateObject]) taxByRate: TaxByRateObject[];
  @Field(() => [InvoiceCustomerSubtotalObject]) customerSubtotals: InvoiceCustomerSubtotalObject[];
  @Field(() => InvoiceStatus) status: InvoiceStatus;
  @Field(() => String, { nullable: true }) stripeInvoiceId: string | null;
  @Field(() => StripeSyncStatus) stripeSyncStatus: StripeSyncStatus;
  @Field(() => Date, { nullable: true }) issuedAt: Date | null;
  @Field(() => Date, { nullable: true }) paidAt: Date | null;
  @Field(() => Date, { nullable: true }) voidedAt: Date | null;
}

export const InvoiceConnection = connectionOf(InvoiceObject, 'Invoice');

@ObjectType('BillingRun')
export class BillingRunObject {
  @Field(() => ID) id: string;
  @Field() period: string;
  @Field({ description: 'Invoices were left as drafts (no numbers yet)' }) draft: boolean;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field(() => Int, { description: 'Invoices this run wrote' }) invoicesCreated: number;
  @Field(() => Int, { description: 'Invoices of the period already issued, left as they were' }) invoicesExisting: number;
}
