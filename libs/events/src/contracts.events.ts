import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
import { enumOf } from './enum-of';
import { defineEvent } from './envelope';

// What a contract sells, defined once: the catalogue, GraphQL enums, entities and these events
// derive from these lists. Each also as an enum-shaped value (`PlanCode.MDR`).
export const PLAN_CODES = ['FE_ALERT_ANALYSIS', 'FE_SECURITY_MONITORING', 'MDR', 'INTEGRATED_MANAGEMENT', 'SOC_DESIGN'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];
export const PlanCode = enumOf(PLAN_CODES);
// BUSINESS_HOURS: weekdays 9:00-17:30 JST, not Japanese public holidays. ALWAYS: 24/365.
export const SERVICE_HOURS = ['BUSINESS_HOURS', 'ALWAYS'] as const;
export type ServiceHours = (typeof SERVICE_HOURS)[number];
export const ServiceHours = enumOf(SERVICE_HOURS);
export const OPTION_CODES = ['LIVENESS_MONITORING'] as const;
export type OptionCode = (typeof OPTION_CODES)[number];
export const OptionCode = enumOf(OPTION_CODES);

// A contract's status. The contract events carry it in lower case ('pending_onboarding').
export const CONTRACT_STATUSES = ['PENDING_ONBOARDING', 'ACTIVE', 'TERMINATED'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const ContractStatus = enumOf(CONTRACT_STATUSES);
export type ContractEventStatus = Lowercase<ContractStatus>;
export const CONTRACT_EVENT_STATUS: { readonly [S in ContractStatus]: Lowercase<S> } = { PENDING_ONBOARDING: 'pending_onboarding', ACTIVE: 'active', TERMINATED: 'terminated' };

// Every service keeps a small directory of customers so it can scope partner callers.
export class CustomerUpsertedBody {
  @IsUUID() customerId: string;
  @IsOptional() @IsUUID() partnerId: string | null;
  @IsString() name: string;
}

export class PartnerUpsertedBody {
  @IsUUID() partnerId: string;
  @IsString() name: string;
}

// The languages the SOC speaks with a contact (mails, calls, reports).
export const CONTACT_LANGUAGES = ['ja', 'en'] as const;
export type ContactLanguageCode = (typeof CONTACT_LANGUAGES)[number];

export class EscalationContact {
  @IsInt() @Min(1) order: number;
  @IsString() name: string;
  @IsOptional() @IsString() phone?: string;
  @IsOptional() @IsEmail() email?: string;
  @IsIn(CONTACT_LANGUAGES) language: ContactLanguageCode;
}

// The entitlements other services act on: what was bought, when the SOC works, whom to call.
export class ContractEntitlementsBody {
  @IsUUID() contractId: string;
  @IsUUID() customerId: string;
  @IsOptional() @IsUUID() partnerId: string | null;
  @IsIn(PLAN_CODES) plan: PlanCode;
  @IsOptional() @IsIn(SERVICE_HOURS) serviceHours: ServiceHours | null;
  @IsArray() @IsIn(OPTION_CODES, { each: true }) options: OptionCode[];
  @IsBoolean() livenessMonitoring: boolean;
  @IsArray() @IsString({ each: true }) monitoredProducts: string[];
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => EscalationContact) escalationContacts: EscalationContact[];
  @IsBoolean() isolationPreApproved: boolean;
  // With isolationPreApproved: isolate at once on an automatic HIGH verdict, not only on an
  // analyst's confirmed HIGH (issue 11). Optional so that earlier events stay valid (false).
  @IsOptional() @IsBoolean() isolationOnAutomaticVerdicts?: boolean;
  @IsInt() @Min(1) logRetentionMonths: number;
  @IsIn(Object.values(CONTRACT_EVENT_STATUS)) status: ContractEventStatus;
  @IsISO8601() startDate: string;
  @IsOptional() @IsISO8601() endDate: string | null;
}

export class QuoteIssuedBody {
  @IsUUID() quoteId: string;
  @IsUUID() customerId: string;
  @IsString() number: string;
}

export class InvoiceIssuedBody {
  @IsUUID() invoiceId: string;
  @IsString() number: string;
  @IsString() period: string;
  @IsOptional() @IsUUID() partnerId: string | null;
  @IsOptional() @IsUUID() customerId: string | null;
  @IsInt() total: number;
}

export const CustomerUpserted = defineEvent('contracts.customer.upserted.v1', 'CONTRACTS', CustomerUpsertedBody);
export const PartnerUpserted = defineEvent('contracts.partner.upserted.v1', 'CONTRACTS', PartnerUpsertedBody);
export const ContractActivated = defineEvent('contracts.contract.activated.v1', 'CONTRACTS', ContractEntitlementsBody);
export const ContractChanged = defineEvent('contracts.contract.changed.v1', 'CONTRACTS', ContractEntitlementsBody);
export const ContractTerminated = defineEvent('contracts.contract.terminated.v1', 'CONTRACTS', ContractEntitlementsBody);
export const QuoteIssued = defineEvent('contracts.quote.issued.v1', 'CONTRACTS', QuoteIssuedBody);
export const InvoiceIssued = defineEvent('contracts.invoice.issued.v1', 'CONTRACTS', InvoiceIssuedBody);
