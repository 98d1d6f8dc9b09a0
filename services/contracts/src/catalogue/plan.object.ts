import { Directive, Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { CalendarDateScalar } from '../common/calendar-date.scalar';

registerEnumType(PlanCode, { name: 'PlanCode' });
registerEnumType(ServiceHours, { name: 'ServiceHours', description: 'BUSINESS_HOURS: weekdays 9:00-17:30 JST except holidays; ALWAYS: 24/365' });
registerEnumType(OptionCode, { name: 'OptionCode' });

@ObjectType('Plan')
@Directive('@key(fields: "code")')
export class PlanObject {
  @Field(() => PlanCode) code: PlanCode;
  @Field(() => Int, { description: 'Catalogue version of these prices' }) version: number;
  @Field() name: string;
  @Field() nameJa: string;
  @Field(() => [ServiceHours], { description: 'Service hours this plan can be sold with (empty for consulting)' }) hoursAllowed: ServiceHours[];
  @Field(() => Int, { nullable: true, description: 'JPY; null when quoted individually' }) initialFee: number | null;
  @Field(() => Int, { nullable: true, description: 'JPY per month; null when quoted individually or billed per endpoint' }) monthlyFee: number | null;
  @Field(() => Int, { nullable: true, description: 'JPY per managed endpoint per month (MDR)' }) perEndpointMonthlyFee: number | null;
  @Field({ description: 'Sales enters the quote lines' }) quoteOnly: boolean;
  @Field({ description: 'Liveness monitoring is part of the plan at no charge' }) livenessIncluded: boolean;
  @Field(() => [OptionCode], { description: 'Options that can be added at their own price' }) availableOptions: OptionCode[];
  @Field(() => [OptionCode], { description: 'Options that are part of the plan at no charge' }) includedOptions: OptionCode[];
  @Field(() => CalendarDateScalar, { description: 'First JST day these prices apply to new quotes' }) effectiveFrom: string;
}

@ObjectType('CatalogueOption')
export class CatalogueOptionObject {
  @Field(() => OptionCode) code: OptionCode;
  @Field(() => Int) version: number;
  @Field() name: string;
  @Field() nameJa: string;
  @Field(() => Int, { description: 'JPY added to the initial fee' }) initialFee: number;
  @Field(() => Int, { description: 'JPY added to the monthly fee' }) monthlyFee: number;
  @Field(() => CalendarDateScalar) effectiveFrom: string;
}
