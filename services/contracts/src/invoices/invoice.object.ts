import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { connectionOf } from '@kanshi/platform';
import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { TaxByRateObject } from '../quotes/quote.object';
import { InvoiceStatus, StripeSyncStatus } from './invoice.entity';

registerEnumType(InvoiceStatus, {
  name: 'InvoiceStatus',
  description: 'Where an invoice is in its life',
  valuesMap: {
    DRAFT: { description: 'Written by a billing run but not issued: no number, not sent, can still change' },
    ISSUED: { description: 'Numbered and sent to the recipient (and Stripe); payment is awaited' },
    PAID: { description: 'Payment has been recorded' },
    OVERDUE: { description: 'Issued, unpaid, and past its due date' },
    VOID: { description: 'Cancelled; nothing is owed on it' },
  },
});

registerEnumType(StripeSyncStatus, {
  name: 'StripeSyncStatus',
  description: 'Whether an invoice has reached Stripe, where it is collected',
  valuesMap: {
    NONE: { description: 'Nothing to send (a draft, or an invoice not collected through Stripe)' },
    PENDING: { description: 'Waiting for Stripe, or retrying after a transient failure' },
    SYNCED: { description: 'Stripe has the invoice as it is here' },
    FAILED: { description: 'Stripe refused it; provider staff must fix the cause and call retryStripeSync' },
  },
});

@ObjectType('ServicePeriod', { description: 'The days a charge covers, both inclusive, as dates in Asia/Tokyo' })
export class ServicePeriodObject {
  @Field(() => CalendarDateScalar, { description: 'First day covered (Asia/Tokyo)' }) from: string;
  @Field(() => CalendarDateScalar, { description: 'Last day covered, inclusive (Asia/Tokyo)' }) to: string;
}

@ObjectType('Proration', { description: 'How a monthly charge was cut for a partial month: fullAmount x billableDays / daysInPeriod, rounded down' })
export class ProrationObject {
  @Field(() => Int, { description: 'Days of the month the service ran' }) billableDays: number;
  @Field(() => Int, { description: 'Days in the month' }) daysInPeriod: number;
  @Field(() => Int, { description: 'The full monthly amount it was prorated from' }) fullAmount: number;
}

@ObjectType('InvoiceLine', { description: 'One charge on an invoice. Amounts are integer JPY before consumption tax.' })
export class InvoiceLineObject {
  @Field({ description: 'Stable key of the charge; a charge is billed once' }) lineKey: string;
  @Field(() => ID, { description: "The customer the charge is for (on a partner invoice, one of the partner's customers)" }) customerId: string;
  @Field(() => ID, { nullable: true, description: 'The contract the charge comes from; null for a charge not tied to a contract' }) contractId: string | null;
  @Field({ description: 'What the line charges for: a plan or option code with its charge kind (e.g. MDR:MONTHLY, MDR:ENDPOINT_MONTHLY), QUOTED for a quoted custom line, DISCOUNT' }) code: string;
  @Field({ description: 'What the line is for, in English' }) description: string;
  @Field({ description: 'What the line is for, in Japanese (printed on the invoice PDF)' }) descriptionJa: string;
  @Field(() => Int, { description: 'How many units the unit price is charged for (e.g. endpoints for a per-endpoint charge)' }) quantity: number;
  @Field(() => Int, { description: 'Price of one unit, JPY before tax' }) unitPrice: number;
  @Field(() => Int, { description: 'quantity x unitPrice (prorated when proration is set), JPY before tax' }) amount: number;
  @Field(() => Int, { description: 'Consumption tax rate applied to the line, in percent (10 or 8)' }) taxRate: number;
  @Field(() => ServicePeriodObject, { nullable: true, description: 'The days the charge covers; null for a one-time charge' }) servicePeriod: ServicePeriodObject | null;
  @Field(() => ProrationObject, { nullable: true, description: 'How a partial month was prorated; null when the full month is billed' }) proration: ProrationObject | null;
}

@ObjectType('InvoiceIssuer', { description: 'The provider as the issuer of a qualified invoice' })
export class InvoiceIssuerObject {
  @Field({ description: "The issuer's legal name" }) name: string;
  @Field({ description: 'Qualified invoice issuer registration number (T + 13 digits)' }) registrationNumber: string;
}

@ObjectType('InvoiceRecipient', { description: 'Whom the invoice is addressed to, as it was when issued' })
export class InvoiceRecipientObject {
  @Field({ description: 'customer or partner' }) kind: string;
  @Field(() => ID, { description: "The customer's or partner's id" }) id: string;
  @Field({ description: "The recipient's name as printed on the invoice" }) name: string;
}

@ObjectType('InvoiceCustomerSubtotal', { description: "One customer's share of a partner invoice" })
export class InvoiceCustomerSubtotalObject {
  @Field(() => ID, { description: 'The customer' }) customerId: string;
  @Field({ description: "The customer's name as printed on the invoice" }) name: string;
  @Field(() => Int, { description: "Sum of the customer's lines before tax (JPY)" }) subtotal: number;
}

@ObjectType('Invoice', { description: 'A monthly invoice to a direct customer or to a partner (covering its customers). Visible to provider staff and to its recipient. Amounts are integer JPY.' })
@Directive('@key(fields: "id")')
export class InvoiceObject {
  @Field(() => ID, { description: "The invoice's id" }) id: string;
  @Field(() => String, { nullable: true, description: 'Gap-free per issuer and year; null while a draft' }) number: string | null;
  @Field({ description: 'YYYY-MM (a calendar month in Asia/Tokyo)' }) period: string;
  @Field(() => ID, { nullable: true, description: 'The billed customer; null on a partner invoice' }) customerId: string | null;
  @Field(() => ID, { nullable: true, description: "The billed partner; null on a direct customer's invoice" }) partnerId: string | null;
  @Field(() => CalendarDateScalar, { description: 'Transaction date: the closing day of the period' }) transactionDate: string;
  @Field(() => CalendarDateScalar, { description: 'Day payment is due (Asia/Tokyo)' }) dueDate: string;
  @Field(() => Int, { description: 'Sum of the lines before tax (JPY)' }) subtotal: number;
  @Field(() => Int, { description: 'Consumption tax, rounded once per rate over the invoice' }) tax: number;
  @Field(() => Int, { description: 'subtotal plus tax (JPY)' }) total: number;
  @Field(() => [TaxByRateObject], { description: 'Taxable amount and tax per consumption tax rate, highest rate first' }) taxByRate: TaxByRateObject[];
  @Field(() => [InvoiceCustomerSubtotalObject], { description: 'On a partner invoice, the subtotal per customer; on a customer invoice, the one customer' }) customerSubtotals: InvoiceCustomerSubtotalObject[];
  @Field(() => InvoiceStatus, { description: 'Where the invoice is in its life: DRAFT, ISSUED, PAID, OVERDUE or VOID' }) status: InvoiceStatus;
  @Field(() => String, { nullable: true, description: "The invoice's id in Stripe; null until it has been sent there" }) stripeInvoiceId: string | null;
  @Field(() => StripeSyncStatus, { description: 'Whether the invoice has reached Stripe' }) stripeSyncStatus: StripeSyncStatus;
  @Field(() => Date, { nullable: true, description: 'When it was issued (UTC instant); null while a draft' }) issuedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When payment was recorded (UTC instant); null until paid' }) paidAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was voided (UTC instant); null unless void' }) voidedAt: Date | null;
}

export const InvoiceConnection = connectionOf(InvoiceObject, 'Invoice');

@ObjectType('BillingRun', { description: 'One run of the monthly billing for a period. Provider staff only.' })
export class BillingRunObject {
  @Field(() => ID, { description: "The run's id" }) id: string;
  @Field({ description: 'The month billed, YYYY-MM (a calendar month in Asia/Tokyo)' }) period: string;
  @Field({ description: 'Invoices were left as drafts (no numbers yet)' }) draft: boolean;
  @Field({ description: 'When the run started (UTC instant)' }) startedAt: Date;
  @Field(() => Date, { nullable: true, description: 'When the run finished (UTC instant); null while it runs or if it failed' }) finishedAt: Date | null;
  @Field(() => Int, { description: 'Invoices this run wrote' }) invoicesCreated: number;
  @Field(() => Int, { description: 'Invoices of the period already issued, left as they were' }) invoicesExisting: number;
}
