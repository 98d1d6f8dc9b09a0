import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ContractStatus, OptionCode, PlanCode, ServiceHours } from '@kanshi/events';

import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { ContactLanguage } from './contract-setup.input';

registerEnumType(ContractStatus, {
  name: 'ContractStatus',
  description: 'Where a contract is in its life',
  valuesMap: {
    PENDING_ONBOARDING: { description: 'Made from an accepted quote; sensors, first events and contacts are being set up (see onboarding)' },
    ACTIVE: { description: 'Activated by provider staff: the SOC monitors and the contract is billed' },
    TERMINATED: { description: 'Ended; service and billing stop after endDate' },
  },
});

@ObjectType('EscalationContact', { description: 'A person the SOC calls or mails about a serious incident, in calling order' })
export class EscalationContactObject {
  @Field(() => Int, { description: '1 is called first' }) order: number;
  @Field({ description: "The contact's name" }) name: string;
  @Field({ nullable: true, description: 'Phone number called for a serious incident; null when not given' }) phone?: string;
  @Field({ nullable: true, description: 'Mail address notified; null when not given' }) email?: string;
  @Field(() => ContactLanguage, { description: 'The language the SOC speaks and writes to this contact' }) language: string;
}

@ObjectType('OnboardingSensor', { description: 'A sensor of the customer as the onboarding checklist sees it' })
export class OnboardingSensorObject {
  @Field(() => ID, { description: "The sensor's id (ingestion's Sensor)" }) sensorId: string;
  @Field(() => String, { nullable: true, description: 'The sensor product (a SensorProduct value); null until its registration is known' }) product: string | null;
  @Field(() => String, { nullable: true, description: "The sensor's name; null until its registration is known" }) name: string | null;
  @Field(() => Date, { nullable: true, description: 'When the sensor was registered (UTC instant); null if not yet' }) registeredAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When its first event arrived (UTC instant); null if none yet' }) firstEventAt: Date | null;
}

@ObjectType('Onboarding', { description: 'What must be done before a contract can be activated' })
export class OnboardingObject {
  @Field({ description: 'Every monitored product has a registered sensor' }) sensorsRegistered: boolean;
  @Field({ description: 'Every registered sensor has sent at least one event' }) firstEventsReceived: boolean;
  @Field({ description: 'The customer has confirmed its escalation contacts' }) contactsConfirmed: boolean;
  @Field({ description: 'Provider staff may activate the contract' }) complete: boolean;
  @Field(() => [String], { description: 'What is still to be done' }) missing: string[];
  @Field(() => [OnboardingSensorObject], { description: "The customer's sensors with their registration and first event" }) sensors: OnboardingSensorObject[];
}

@ObjectType('ContractPrices', { description: 'The prices a contract was sold at, integer JPY before tax, fixed for its term' })
export class ContractPricesObject {
  @Field(() => Int, { description: 'The catalogue version of the plan the prices come from' }) planVersion: number;
  @Field(() => Int, { description: 'One-time fee (JPY)' }) initialFee: number;
  @Field(() => Int, { description: 'Monthly fee (JPY)' }) monthlyFee: number;
  @Field(() => Int, { description: 'Monthly fee per managed endpoint (JPY); 0 for plans not billed per endpoint' }) perEndpointMonthlyFee: number;
  @Field(() => Int, { description: 'Agreed discount on every charge, basis points' }) discountBasisPoints: number;
}

@ObjectType('Contract', { description: "A customer's contract for a plan, made by accepting a quote. Visible to provider staff, the customer's partner and the customer." })
@Directive('@key(fields: "id")')
export class ContractObject {
  @Field(() => ID, { description: "The contract's id" }) id: string;
  @Field(() => ID, { description: 'The customer under contract' }) customerId: string;
  @Field(() => ID, { description: 'The accepted quote the contract was made from' }) quoteId: string;
  @Field(() => PlanCode, { description: 'The plan contracted' }) plan: PlanCode;
  @Field(() => Int, { description: 'The catalogue version of the plan' }) planVersion: number;
  @Field(() => ServiceHours, { nullable: true, description: 'Business hours only or around the clock; null when the plan has only one kind' }) serviceHours: ServiceHours | null;
  @Field(() => [OptionCode], { description: 'Options contracted with the plan' }) options: OptionCode[];
  @Field(() => Int, { nullable: true, description: 'Managed endpoints contracted (MDR); null for plans not billed per endpoint' }) endpointCount: number | null;
  @Field(() => Int, { description: 'Contract term in months' }) termMonths: number;
  @Field(() => CalendarDateScalar, { description: 'First day of service as quoted (Asia/Tokyo)' }) startDate: string;
  @Field(() => CalendarDateScalar, { nullable: true, description: 'Last day of service, once terminated' }) endDate: string | null;
  @Field(() => ContractStatus, { description: 'PENDING_ONBOARDING until provider staff activate it, then ACTIVE, then TERMINATED' }) status: ContractStatus;
  @Field(() => [String], { description: 'Sensor products the SOC monitors under the contract (SensorProduct values)' }) monitoredProducts: string[];
  @Field(() => [EscalationContactObject], { description: 'Whom the SOC calls about a serious incident, in calling order' }) escalationContacts: EscalationContactObject[];
  @Field({ description: 'A high-severity endpoint may be isolated before the customer confirms (prior agreement)' }) isolationPreApproved: boolean;
  @Field({ description: 'With isolationPreApproved: an automatic HIGH verdict isolates at once, before an analyst confirms it' }) isolationOnAutomaticVerdicts: boolean;
  @Field(() => Int, { description: 'Months raw logs are kept' }) logRetentionMonths: number;
  @Field(() => Date, { nullable: true, description: 'When the customer confirmed its escalation contacts (UTC instant); null if not yet' }) contactsConfirmedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the contract was activated (UTC instant); null while onboarding' }) activatedAt: Date | null;
  @Field(() => CalendarDateScalar, { nullable: true, description: 'Billing starts on this day' }) serviceStartDate: string | null;
  @Field(() => Date, { nullable: true, description: 'When it was terminated (UTC instant); null unless terminated' }) terminatedAt: Date | null;
  // `prices` is resolved by ContractsResolver (hidden from a partner's customers)
  @Field({ description: 'When the contract was made (UTC instant)' }) createdAt: Date;
}
