import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';

import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { LineRecurrence } from './create-quote.input';
import { QuoteStatus } from './quote.entity';

registerEnumType(QuoteStatus, { name: 'QuoteStatus' });

@ObjectType('QuoteLine')
export class QuoteLineObject {
  @Field() code: string;
  @Field() description: string;
  @Field() descriptionJa: string;
  @Field(() => Int) quantity: number;
  @Field(() => Int, { description: 'JPY' }) unitPrice: number;
  @Field(() => Int, { description: 'JPY, quantity x unitPrice' }) amount: number;
  @Field(() => Int) taxRate: number;
  @Field(() => LineRecurrence) recurring: string;
  @Field(() => Int, { nullable: true, description: 'Months a monthly line covers' }) months: number | null;
}

@ObjectType('TaxByRate')
export class TaxByRateObject {
  @Field(() => Int, { description: 'Percent' }) rate: number;
  @Field(() => Int) taxable: number;
  @Field(() => Int) tax: number;
}

@ObjectType('Quote')
@Directive('@key(fields: "id")')
export class QuoteObject {
  @Field(() => ID) id: string;
  @Field() number: string;
  @Field(() => ID) customerId: string;
  @Field(() => PlanCode) plan: PlanCode;
  @Field(() => Int) planVersion: number;
  @Field(() => ServiceHours, { nullable: true }) serviceHours: ServiceHours | null;
  @Field(() => [OptionCode]) options: OptionCode[];
  @Field(() => Int, { nullable: true }) endpointCount: number | null;
  @Field(() => Int) termMonths: number;
  @Field(() => CalendarDateScalar) startDate: string;
  @Field(() => [QuoteLineObject]) lines: QuoteLineObject[];
  @Field(() => Int) subtotal: number;
  @Field(() => Int, { description: 'Consumption tax, rounded once per rate over the quote' }) tax: number;
  @Field(() => Int) total: number;
  @Field(() => [TaxByRateObject]) taxByRate: TaxByRateObject[];
  @Field(() => Int, { description: 'Before tax: one-time charges' }) oneTimeTotal: number;
  @Field(() => Int, { description: 'Before tax: one month of the monthly charges' }) monthlyTotal: number;
  @Field(() => CalendarDateScalar) quoteDate: string;
  @Field(() => CalendarDateScalar) validUntil: string;
  @Field(() => QuoteStatus) status: QuoteStatus;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) sentAt: Date | null;
  @Field(() => Date, { nullable: true }) acceptedAt: Date | null;
}
