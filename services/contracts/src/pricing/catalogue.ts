// The plan catalogue (seeded), as data.
//
// Entries are versioned: a price change is a new entry with a higher `version` and a later
// `effectiveFrom` (a JST calendar date). Quotes pick the entry effective on the quote date;
// contracts copy the prices they were sold at (ContractPrices), so a change never reaches a
// signed contract or its invoices. Reference prices are from the service description; the
// contract terms in force are version 1.1 of 2017-02-01, which dates the seed entries.
import { CalendarDate, isCalendarDate } from '@kanshi/calendar';
import { OPTION_CODES, OptionCode, PLAN_CODES, PlanCode, SERVICE_HOURS, ServiceHours } from '@kanshi/events';
import { ContractsError } from '../contracts.errors';

// fixed: initial + monthly fee; per_endpoint: a monthly fee per managed endpoint;
// quote_only: no list price, sales enters the lines of each quote.
export type PricingModel = 'fixed' | 'per_endpoint' | 'quote_only';

export interface CataloguePlan {
  code: PlanCode;
  version: number;
  effectiveFrom: CalendarDate;
  name: string;
  nameJa: string;
  // Hours the plan can be sold with; empty for consulting, which has no service hours.
  serviceHours: readonly ServiceHours[];
  pricing: PricingModel;
  // null where the plan has no such fee (e.g. MDR has no initial fee).
  initialFee: number | null;
  monthlyFee: number | null;
  perEndpointMonthlyFee: number | null;
  // Options that may be added at their catalogue price.
  availableOptions: readonly OptionCode[];
  // Options that are part of the plan: asking for them costs nothing.
  includedOptions: readonly OptionCode[];
}

export interface CatalogueOption {
  code: OptionCode;
  version: number;
  effectiveFrom: CalendarDate;
  name: string;
  nameJa: string;
  initialFee: number;
  monthlyFee: number;
}

export interface Catalogue {
  plans: readonly CataloguePlan[];
  options: readonly CatalogueOption[];
}

// Catalogue setting, NOT a fact of the service description (which only says MDR is "billed per
// endpoint"): the default monthly price per managed endpoint. Change it with a new MDR entry.
export const DEFAULT_MDR_UNIT_PRICE_JPY = 1_500;

// Names used on quotes and invoices. A catalogue entry may carry its own; these are the defaults.
export const PLAN_NAMES: Readonly<Record<PlanCode, { en: string; ja: string }>> = {
  [PlanCode.FE_ALERT_ANALYSIS]: { en: 'FE Alert Analysis', ja: 'FEアラート解析' },
  [PlanCode.FE_SECURITY_MONITORING]: { en: 'FE Security Monitoring (MSS)', ja: 'FEセキュリティ監視（MSS）' },
  [PlanCode.MDR]: { en: 'Managed Detection and Response (MDR)', ja: 'MDRサービス' },
  [PlanCode.INTEGRATED_MANAGEMENT]: { en: 'Integrated Security Management (SIEM)', ja: 'セキュリティ統合管理（SIEM）' },
  [PlanCode.SOC_DESIGN]: { en: 'SOC Design Consulting', ja: 'SOCデザイン・コンサルティング' },
};

export const OPTION_NAMES: Readonly<Record<OptionCode, { en: string; ja: string }>> = {
  [OptionCode.LIVENESS_MONITORING]: { en: 'Liveness monitoring and operations', ja: '死活監視・運用管理' },
};

export const SEED_CATALOGUE_EFFECTIVE_FROM: CalendarDate = '2017-02-01';

export const SERVICE_HOURS_LABELS: Readonly<Record<ServiceHours, { en: string; ja: string }>> = {
  [ServiceHours.BUSINESS_HOURS]: { en: 'weekdays 9:00-17:30', ja: '平日9:00〜17:30' },
  [ServiceHours.ALWAYS]: { en: '24/365', ja: '24時間365日' },
};

// The first catalogue version of a plan or option, under its default names.
function seedEntry<C extends PlanCode | OptionCode>(code: C, names: Readonly<Record<C, { en: string; ja: string }>>) {
  return { code, version: 1, effectiveFrom: SEED_CATALOGUE_EFFECTIVE_FROM, name: names[code].en, nameJa: names[code].ja };
}

function seedPlan(code: PlanCode, terms: Omit<CataloguePlan, 'code' | 'version' | 'effectiveFrom' | 'name' | 'nameJa'>): CataloguePlan {
  return { ...seedEntry(code, PLAN_NAMES), ...terms };
}

export const SEED_CATALOGUE: Catalogue = deepFreeze({
  plans: [
    seedPlan(PlanCode.FE_ALERT_ANALYSIS, {
      serviceHours: [ServiceHours.BUSINESS_HOURS, ServiceHours.ALWAYS],
      pricing: 'fixed',
      initialFee: 150_000,
      monthlyFee: 150_000,
      perEndpointMonthlyFee: null,
      availableOptions: [OptionCode.LIVENESS_MONITORING],
      includedOptions: [],
    }),
    seedPlan(PlanCode.FE_SECURITY_MONITORING, {
      serviceHours: [ServiceHours.ALWAYS],
      pricing: 'fixed',
      initialFee: 480_000,
      monthlyFee: 480_000,
      perEndpointMonthlyFee: null,
      availableOptions: [],
      // Liveness monitoring, OS/VM version upgrades and antivirus integration are included.
      includedOptions: [OptionCode.LIVENESS_MONITORING],
    }),
    seedPlan(PlanCode.MDR, {
      serviceHours: [ServiceHours.ALWAYS],
      pricing: 'per_endpoint',
      initialFee: null,
      monthlyFee: null,
      perEndpointMonthlyFee: DEFAULT_MDR_UNIT_PRICE_JPY,
      availableOptions: [],
      includedOptions: [],
    }),
    seedPlan(PlanCode.INTEGRATED_MANAGEMENT, {
      serviceHours: [ServiceHours.ALWAYS],
      pricing: 'quote_only',
      initialFee: null,
      monthlyFee: null,
      perEndpointMonthlyFee: null,
      availableOptions: [],
      // Device up/down monitoring and version upgrades are part of the integrated plan.
      includedOptions: [OptionCode.LIVENESS_MONITORING],
    }),
    seedPlan(PlanCode.SOC_DESIGN, {
      serviceHours: [],
      pricing: 'quote_only',
      initialFee: null,
      monthlyFee: null,
      perEndpointMonthlyFee: null,
      availableOptions: [],
      includedOptions: [],
    }),
  ],
  options: [
    { ...seedEntry(OptionCode.LIVENESS_MONITORING, OPTION_NAMES), initialFee: 100_000, monthlyFee: 100_000 },
  ],
});

export function isPlanCode(value: unknown): value is PlanCode {
  return (PLAN_CODES as readonly unknown[]).includes(value);
}

export function isServiceHours(value: unknown): value is ServiceHours {
  return (SERVICE_HOURS as readonly unknown[]).includes(value);
}

export function isOptionCode(value: unknown): value is OptionCode {
  return (OPTION_CODES as readonly unknown[]).includes(value);
}

// The plan entry in force on `asOf` (a JST date); without `asOf`, the highest version.
export function findPlan(catalogue: Catalogue, code: PlanCode, asOf?: CalendarDate): CataloguePlan {
  const entry = pickVersion(
    catalogue.plans.filter((p) => p.code === code),
    asOf,
  );
  if (!entry) {
    throw new ContractsError('BAD_INPUT', asOf ? `plan ${String(code)} is not offered on ${asOf}` : `unknown plan ${String(code)}`, 'plan');
  }
  return entry;
}

export function findOption(catalogue: Catalogue, code: OptionCode, asOf?: CalendarDate): CatalogueOption {
  const entry = pickVersion(
    catalogue.options.filter((o) => o.code === code),
    asOf,
  );
  if (!entry) {
    throw new ContractsError('BAD_INPUT', asOf ? `option ${String(code)} is not offered on ${asOf}` : `unknown option ${String(code)}`, 'options');
  }
  return entry;
}

// One entry per plan code, as offered on `asOf` (for the `plans` query), in enum order.
export function plansInForce(catalogue: Catalogue, asOf?: CalendarDate): CataloguePlan[] {
  return PLAN_CODES
    .map((code) =>
      pickVersion(
        catalogue.plans.filter((p) => p.code === code),
        asOf,
      ),
    )
    .filter((p): p is CataloguePlan => p !== undefined);
}

// Consistency checks for a catalogue before it is stored or used (seeding, admin edits).
export function validateCatalogue(catalogue: Catalogue): void {
  const fail = (message: string) => {
    throw new ContractsError('BAD_INPUT', message, 'catalogue');
  };
  const seen = new Set<string>();
  for (const entry of [...catalogue.plans, ...catalogue.options]) {
    const id = `${entry.code}@${entry.version}`;
    if (seen.has(id)) fail(`duplicate catalogue entry ${id}`);
    seen.add(id);
    if (!Number.isSafeInteger(entry.version) || entry.version < 1) fail(`${id}: version must be a positive integer`);
    if (!isCalendarDate(entry.effectiveFrom)) fail(`${id}: effectiveFrom must be YYYY-MM-DD`);
    if (!entry.name || !entry.nameJa) fail(`${id}: English and Japanese names are required`);
  }
  for (const plan of catalogue.plans) {
    const id = `${plan.code}@${plan.version}`;
    const fees = [plan.initialFee, plan.monthlyFee, plan.perEndpointMonthlyFee];
    if (fees.some((f) => f !== null && (!Number.isSafeInteger(f) || f < 0))) fail(`${id}: fees must be whole yen >= 0`);
    if (plan.pricing === 'fixed' && (plan.initialFee === null || plan.monthlyFee === null)) {
      fail(`${id}: a fixed-price plan needs an initial and a monthly fee`);
    }
    if (plan.pricing === 'per_endpoint' && plan.perEndpointMonthlyFee === null) {
      fail(`${id}: a per-endpoint plan needs a per-endpoint monthly fee`);
    }
    if (plan.pricing === 'quote_only' && fees.some((f) => f !== null)) fail(`${id}: a quote-only plan has no list price`);
    if (plan.availableOptions.some((o) => plan.includedOptions.includes(o))) {
      fail(`${id}: an option cannot be both available and included`);
    }
  }
  for (const option of catalogue.options) {
    if ([option.initialFee, option.monthlyFee].some((f) => !Number.isSafeInteger(f) || f < 0)) {
      fail(`${option.code}@${option.version}: fees must be whole yen >= 0`);
    }
  }
  // A later version must not take effect before an earlier one.
  for (const entries of [catalogue.plans, catalogue.options] as const) {
    for (const a of entries) {
      for (const b of entries) {
        if (a.code === b.code && a.version < b.version && a.effectiveFrom > b.effectiveFrom) {
          fail(`${a.code}@${b.version} takes effect before version ${a.version}`);
        }
      }
    }
  }
}

function pickVersion<T extends { version: number; effectiveFrom: CalendarDate }>(
  entries: readonly T[],
  asOf?: CalendarDate,
): T | undefined {
  // 'YYYY-MM-DD' strings compare in date order.
  const candidates = asOf === undefined ? entries : entries.filter((e) => e.effectiveFrom <= asOf);
  return candidates.reduce<T | undefined>((best, e) => (best === undefined || e.version > best.version ? e : best), undefined);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
