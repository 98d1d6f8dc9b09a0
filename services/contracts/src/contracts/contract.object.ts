import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ContractStatus, OptionCode, PlanCode, ServiceHours } from '@kanshi/events';

import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { ContactLanguage } from './contract-setup.input';

registerEnumType(ContractStatus, { name: 'ContractStatus' });

@ObjectType('EscalationContact')
export class EscalationContactObject {
  @Field(() => Int, { description: '1 is called first' }) order: number;
  @Field() name: string;
  @Field({ nullable: true }) phone?: string;
  @Field({ nullable: true }) email?: string;
  @Field(() => ContactLanguage) language: string;
}

@ObjectType('OnboardingSensor')
export class OnboardingSensorObject {
  @Field(() => ID) sensorId: string;
  @Field(() => String, { nullable: true }) product: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => Date, { nullable: true }) registeredAt: Date | null;
  @Field(() => Date, { nullable: true }) firstEventAt: Date | null;
}

@ObjectType('Onboarding')
export class OnboardingObject {
  @Field() sensorsRegistered: boolean;
  @Field() firstEventsReceived: boolean;
  @Field() contactsConfirmed: boolean;
  @Field({ description: 'Provider staff may activate the contract' }) complete: boolean;
  @Field(() => [String], { description: 'What is still to be done' }) missing: string[];
  @Field(() => [OnboardingSensorObject]) sensors: OnboardingSensorObject[];
}

@ObjectType('ContractPrices')
export class ContractPricesObject {
  @Field(() => Int) planVersion: number;
  @Field(() => Int) initialFee: number;
  @Field(() => Int) monthlyFee: number;
  @Field(() => Int) perEndpointMonthlyFee: number;
  @Field(() => Int, { description: 'Agreed discount on every charge, basis points' }) discountBasisPoints: number;
}

@ObjectType('Contract')
@Directive('@key(fields: "id")')
export class ContractObject {
  @Field(() => ID) id: string;
  @Field(() => ID) customerId: string;
  @Field(() => ID) quoteId: string;
  @Field(() => PlanCode) plan: PlanCode;
  @Field(() => Int) planVersion: number;
  @Field(() => ServiceHours, { nullable: true }) serviceHours: ServiceHours | null;
  @Field(() => [OptionCode]) options: OptionCode[];
  @Field(() => Int, { nullable: true }) endpointCount: number | null;
  @Field(() => Int) termMonths: number;
  @Field(() => CalendarDateScalar) startDate: string;
  @Field(() => CalendarDateScalar, { nullable: true, description: 'Last day of service, once terminated' }) endDate: string | null;
  @Field(() => ContractStatus) status: ContractStatus;
  @Field(() => [String]) monitoredProducts: string[];
  @Field(() => [EscalationContactObject]) escalationContacts: EscalationContactObject[];
  @Field() isolationPreApproved: boolean;
  @Field(() => Int) logRetentionMonths: number;
  @Field(() => Date, { nullable: true }) contactsConfirmedAt: Date | null;
  @Field(() => Date, { nullable: true }) activatedAt: Date | null;
  @Field(() => CalendarDateScalar, { nullable: true, description: 'Billing starts on this day' }) serviceStartDate: string | null;
  @Field(() => Date, { nullable: true }) terminatedAt: Date | null;
  @Field(() => ContractPricesObject, { description: 'The prices sold, kept whatever the catalogue later says' }) prices: ContractPricesObject;
  @Field() createdAt: Date;
}
