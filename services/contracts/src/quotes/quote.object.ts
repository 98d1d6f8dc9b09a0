import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';

import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { LineRecurrence, Recurrence } from '../pricing/contract-prices';
import { QuoteStatus } from './quote.entity';

registerEnumType(QuoteStatus, {
  name: 'QuoteStatus',
  description: 'Where a quote is in its life',
  valuesMap: {
    DRAFT: { description: 'Priced but not yet sent to the customer' },
    SENT: { description: 'Sent to the customer; it can be accepted until validUntil' },
    ACCEPTED: { description: 'Accepted; a contract was made from it' },
    EXPIRED: { description: 'Sent but not accepted by validUntil' },
    WITHDRAWN: { description: 'Withdrawn by the seller; it can no longer be accepted' },
  },
});

@ObjectType('QuoteLine', { description: 'One priced line of a quote. Amounts are integer JPY before consumption tax.' })
export class QuoteLineObject {
  @Field({ description: 'What the line charges for: a plan or option code with its charge kind (e.g. MDR:MONTHLY, MDR:ENDPOINT_MONTHLY), CUSTOM for a line sales entered, DISCOUNT for a discount' }) code: string;
  @Field({ description: 'What the line is for, in English' }) description: string;
  @Field({ description: 'What the line is for, in Japanese (printed on the quote PDF)' }) descriptionJa: string;
  @Field(() => Int, { description: 'How many units the unit price is charged for (e.g. months of the term, or endpoints times months)' }) quantity: number;
  @Field(() => Int, { description: 'JPY' }) unitPrice: number;
  @Field(() => Int, { description: 'JPY, quantity x unitPrice' }) amount: number;
  @Field(() => Int, { description: 'Consumption tax rate applied to the line, in percent (10 or 8)' }) taxRate: number;
  @Field(() => LineRecurrence, { description: 'When the line is billed: with the first invoice, every month in service, or once' }) recurring: Recurrence;
  @Field(() => Int, { nullable: true, description: 'Months a monthly line covers' }) months: number | null;
}

@ObjectType('TaxByRate', { description: 'Consumption tax of a quote or invoice for one tax rate. Amounts are integer JPY.' })
export class TaxByRateObject {
  @Field(() => Int, { description: 'Percent' }) rate: number;
  @Field(() => Int, { description: 'Sum of the lines at this rate, before tax (JPY)' }) taxable: number;
  @Field(() => Int, { description: 'Tax at this rate, rounded once over the taxable sum (down to the yen unless the provider configures otherwise) (JPY)' }) tax: number;
}

@ObjectType('Quote', { description: 'A priced offer of a plan to a customer. Visible to provider staff, the partner of the customer, and the customer itself. Amounts are integer JPY.' })
@Directive('@key(fields: "id")')
export class QuoteObject {
  @Field(() => ID, { description: "The quote's id" }) id: string;
  @Field({ description: 'The quote number printed on the PDF (a prefix, the year and a sequence number); unique' }) number: string;
  @Field(() => ID, { description: 'The customer the quote is for' }) customerId: string;
  @Field(() => PlanCode, { description: 'The plan offered' }) plan: PlanCode;
  @Field(() => Int, { description: 'The catalogue version of the plan whose prices the quote uses' }) planVersion: number;
  @Field(() => ServiceHours, { nullable: true, description: 'The service hours offered; null when the plan has only one kind' }) serviceHours: ServiceHours | null;
  @Field(() => [OptionCode], { description: 'The options offered with the plan (empty when none)' }) options: OptionCode[];
  @Field(() => Int, { nullable: true, description: 'Managed endpoints the quote is priced for (MDR); null for plans not billed per endpoint' }) endpointCount: number | null;
  @Field(() => Int, { description: 'Contract term in months' }) termMonths: number;
  @Field(() => CalendarDateScalar, { description: 'First day of service, a date in Asia/Tokyo' }) startDate: string;
  @Field(() => [QuoteLineObject], { description: 'The priced lines, in the order printed' }) lines: QuoteLineObject[];
  @Field(() => Int, { description: 'Sum of the lines before tax (JPY)' }) subtotal: number;
  @Field(() => Int, { description: 'Consumption tax, rounded once per rate over the quote' }) tax: number;
  @Field(() => Int, { description: 'subtotal plus tax (JPY)' }) total: number;
  @Field(() => [TaxByRateObject], { description: 'Taxable amount and tax per consumption tax rate, highest rate first' }) taxByRate: TaxByRateObject[];
  @Field(() => Int, { description: 'Before tax: one-time charges' }) oneTimeTotal: number;
  @Field(() => Int, { description: 'Before tax: one month of the monthly charges' }) monthlyTotal: number;
  @Field(() => CalendarDateScalar, { description: 'The date of the quote, in Asia/Tokyo' }) quoteDate: string;
  @Field(() => CalendarDateScalar, { description: 'The last day (Asia/Tokyo) the quote can be accepted; after it the quote is EXPIRED' }) validUntil: string;
  @Field(() => QuoteStatus, { description: 'Where the quote is in its life: DRAFT, SENT, ACCEPTED, EXPIRED or WITHDRAWN' }) status: QuoteStatus;
  @Field({ description: 'When the quote was created (UTC instant)' }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When it was sent to the customer (UTC instant); null while a draft' }) sentAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was accepted (UTC instant); null unless accepted' }) acceptedAt: Date | null;
  @Field(() => [String], { description: "Why this partner's quote needs provider approval before it can be sent (its discount or custom lines exceed the partner's limits); empty when it needs none" }) approvalReasons: string[];
  @Field(() => Date, { nullable: true, description: 'When provider staff approved it (UTC instant); null unless approved' }) approvedAt: Date | null;
}
