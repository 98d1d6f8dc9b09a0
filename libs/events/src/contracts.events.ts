import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
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

// Version 2 of quote.issued and invoice.issued carry the whole document, so reporting renders
// its PDF without reading contracts' schema. Amounts are whole yen; tax rates in percent.
export class BillingDocumentLine {
  @IsString() description: string;
  @IsString() descriptionJa: string;
  @IsInt() quantity: number;
  @IsInt() unitPrice: number;
  @IsInt() amount: number;
  @IsInt() @Min(0) @Max(100) taxRate: number;
  // initial, monthly or one_off.
  @IsString() recurring: string;
  // A quote's monthly line: the months it covers; an invoice's monthly line: the days.
  @IsOptional() @IsInt() months?: number | null;
  @IsOptional() @IsISO8601() serviceFrom?: string | null;
  @IsOptional() @IsISO8601() serviceTo?: string | null;
  // On a partner's invoice: whose contract the line is for.
  @IsOptional() @IsString() customerName?: string | null;
}

export class TaxAtRate {
  @IsInt() @Min(0) @Max(100) rate: number;
  @IsInt() taxable: number;
  @IsInt() tax: number;
}

// The qualified invoice issuer (適格請求書発行事業者): its name and registration number.
export class BillingIssuer {
  @IsString() name: string;
  @Matches(/^T\d{13}$/) registrationNumber: string;
}

export class BillingRecipient {
  @IsIn(['customer', 'partner']) kind: 'customer' | 'partner';
  @IsUUID() id: string;
  @IsString() name: string;
}

export class QuoteIssuedV2Body {
  @IsUUID() quoteId: string;
  @IsUUID() customerId: string;
  @IsOptional() @IsUUID() partnerId: string | null;
  @IsString() number: string;
  @IsIn(CONTACT_LANGUAGES) language: ContactLanguageCode;
  @IsIn(PLAN_CODES) plan: PlanCode;
  // Dates are Asia/Tokyo calendar dates (YYYY-MM-DD).
  @IsISO8601() issueDate: string;
  @IsISO8601() validUntil: string;
  @IsISO8601() startDate: string;
  @IsInt() @Min(1) termMonths: number;
  @ValidateNested() @Type(() => BillingIssuer) issuer: BillingIssuer;
  @ValidateNested() @Type(() => BillingRecipient) recipient: BillingRecipient;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => BillingDocumentLine) lines: BillingDocumentLine[];
  @IsInt() subtotal: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TaxAtRate) taxByRate: TaxAtRate[];
  @IsInt() tax: number;
  @IsInt() total: number;
  // Before tax: initial and one-off lines, and one month of the monthly lines.
  @IsInt() oneTimeTotal: number;
  @IsInt() monthlyTotal: number;
}

export class InvoiceIssuedV2Body {
  @IsUUID() invoiceId: string;
  @IsString() number: string;
  // The month billed, YYYY-MM.
  @IsString() period: string;
  // Exactly one: a partner's invoice (for all its customers) or a direct customer's.
  @IsOptional() @IsUUID() partnerId: string | null;
  @IsOptional() @IsUUID() customerId: string | null;
  @IsIn(CONTACT_LANGUAGES) language: ContactLanguageCode;
  // Asia/Tokyo calendar dates: issued, the transaction date (closing, 月末締め), payment due.
  @IsISO8601() issueDate: string;
  @IsISO8601() transactionDate: string;
  @IsISO8601() dueDate: string;
  @ValidateNested() @Type(() => BillingIssuer) issuer: BillingIssuer;
  @ValidateNested() @Type(() => BillingRecipient) recipient: BillingRecipient;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5000) @ValidateNested({ each: true }) @Type(() => BillingDocumentLine) lines: BillingDocumentLine[];
  @IsInt() subtotal: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TaxAtRate) taxByRate: TaxAtRate[];
  @IsInt() tax: number;
  @IsInt() total: number;
}

export const CustomerUpserted = defineEvent('contracts.customer.upserted.v1', 'CONTRACTS', CustomerUpsertedBody);
export const PartnerUpserted = defineEvent('contracts.partner.upserted.v1', 'CONTRACTS', PartnerUpsertedBody);
export const ContractActivated = defineEvent('contracts.contract.activated.v1', 'CONTRACTS', ContractEntitlementsBody);
export const ContractChanged = defineEvent('contracts.contract.changed.v1', 'CONTRACTS', ContractEntitlementsBody);
export const ContractTerminated = defineEvent('contracts.contract.terminated.v1', 'CONTRACTS', ContractEntitlementsBody);
export const QuoteIssued = defineEvent('contracts.quote.issued.v1', 'CONTRACTS', QuoteIssuedBody);
export const InvoiceIssued = defineEvent('contracts.invoice.issued.v1', 'CONTRACTS', InvoiceIssuedBody);
export const QuoteIssuedV2 = defineEvent('contracts.quote.issued.v2', 'CONTRACTS', QuoteIssuedV2Body);
export const InvoiceIssuedV2 = defineEvent('contracts.invoice.issued.v2', 'CONTRACTS', InvoiceIssuedV2Body);
