import { Directive, Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { OPTION_CODES, OptionCode, PLAN_CODES, PlanCode, SERVICE_HOURS, ServiceHours } from '@kanshi/events';
import { CalendarDateScalar } from '../common/calendar-date.scalar';

// One description per value: a code added to the list in @kanshi/events fails to typecheck here
// until it is described for partners.
const PLAN_CODE_DESCRIPTIONS: Record<(typeof PLAN_CODES)[number], { description: string }> = {
  FE_ALERT_ANALYSIS: { description: 'FireEye alert analysis: the SOC analyses alerts from FireEye appliances, business hours or around the clock' },
  FE_SECURITY_MONITORING: { description: 'FireEye security monitoring (MSS): around-the-clock monitoring of FireEye appliances, liveness monitoring included' },
  MDR: { description: 'Managed detection and response: EDR monitoring and endpoint isolation, billed per managed endpoint per month' },
  INTEGRATED_MANAGEMENT: { description: 'Integrated security management (SIEM) across products; quoted individually, liveness monitoring included' },
  SOC_DESIGN: { description: 'SOC design consulting; quoted individually, no monitoring hours' },
};
const SERVICE_HOURS_DESCRIPTIONS: Record<(typeof SERVICE_HOURS)[number], { description: string }> = {
  BUSINESS_HOURS: { description: 'Weekdays 9:00-17:30 Asia/Tokyo, except Japanese public holidays' },
  ALWAYS: { description: '24 hours a day, 365 days a year' },
};
const OPTION_CODE_DESCRIPTIONS: Record<(typeof OPTION_CODES)[number], { description: string }> = {
  LIVENESS_MONITORING: { description: 'Liveness monitoring and operations: the SOC watches that each sensor keeps sending and follows up when one goes silent' },
};
registerEnumType(PlanCode, { name: 'PlanCode', description: 'A plan of the service catalogue', valuesMap: PLAN_CODE_DESCRIPTIONS });
registerEnumType(ServiceHours, { name: 'ServiceHours', description: 'When the SOC works on a contract', valuesMap: SERVICE_HOURS_DESCRIPTIONS });
registerEnumType(OptionCode, { name: 'OptionCode', description: 'An option that can be added to a plan', valuesMap: OPTION_CODE_DESCRIPTIONS });

@ObjectType('Plan', { description: 'A plan of the service catalogue, at one catalogue version. Prices are integer JPY before tax.' })
@Directive('@key(fields: "code")')
export class PlanObject {
  @Field(() => PlanCode, { description: 'The plan' }) code: PlanCode;
  @Field(() => Int, { description: 'Catalogue version of these prices' }) version: number;
  @Field({ description: "The plan's name in English" }) name: string;
  @Field({ description: "The plan's name in Japanese" }) nameJa: string;
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

@ObjectType('CatalogueOption', { description: 'An option of the service catalogue, at one catalogue version. Prices are integer JPY before tax.' })
export class CatalogueOptionObject {
  @Field(() => OptionCode, { description: 'The option' }) code: OptionCode;
  @Field(() => Int, { description: 'Catalogue version of these prices' }) version: number;
  @Field({ description: "The option's name in English" }) name: string;
  @Field({ description: "The option's name in Japanese" }) nameJa: string;
  @Field(() => Int, { description: 'JPY added to the initial fee' }) initialFee: number;
  @Field(() => Int, { description: 'JPY added to the monthly fee' }) monthlyFee: number;
  @Field(() => CalendarDateScalar, { description: 'First day (Asia/Tokyo) these prices apply to new quotes' }) effectiveFrom: string;
}
