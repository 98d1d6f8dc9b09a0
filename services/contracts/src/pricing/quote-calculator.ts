// Quote computation: plan + hours + options (+ endpoints, custom lines, discount) over a term.
//
// A quote shows the whole term: one-time lines (initial fees, one-off work) once, and monthly
// lines with quantity = months of the term (MDR: endpoints x months), so every line reads
// quantity x unit price = amount and the total is the value of the contract over its term.
// Discounts are negative lines. Consumption tax is computed once per rate over the document.
// The result also carries `contractPrices`: the per-month prices a contract made from this quote
// keeps for its whole life, whatever the catalogue later says.
import { CalendarDate, toTokyoDate } from '@kanshi/calendar';
import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { ContractsError } from '../contracts.errors';
import {
  Catalogue,
  findOption,
  findPlan,
  isOptionCode,
  isPlanCode,
  isServiceHours,
  SERVICE_HOURS_LABELS,
} from './catalogue';
import {
  ContractOptionPrice,
  ContractPrices,
  optionPricesFor,
  PartnerPricing,
  planPricesFor,
  PricedLine,
  pricedLine,
  QuotedLine,
  Recurrence,
  RECURRENCES,
} from './contract-prices';
import { assertRoundingMode, assertYen, BASIS_POINTS_PER_UNIT, basisPointsOf, multiplyYen, RoundingMode, sumYen } from './money';
import { assertTaxRate, computeDocumentTotals, DEFAULT_TAX_ROUNDING, DocumentTotals, STANDARD_TAX_RATE } from './tax';

export const MAX_TERM_MONTHS = 120;

export interface QuoteCustomLineInput {
  description: string;
  descriptionJa?: string;
  quantity: number;
  unitPrice: number;
  // Default 'one_off'. A monthly line's quantity and price are per month.
  recurring?: Recurrence;
  // Default 10 (%).
  taxRate?: number;
}

// percent: e.g. 10 or 12.5 (at most two decimals), off every line, per month for monthly lines.
// amount: yen off once, at `taxRate` (default 10%).
export type QuoteDiscount = { percent: number } | { amount: number; taxRate?: number };

export interface QuoteInput {
  plan: PlanCode | PlanCode;
  // Required when the plan offers several hours; defaults to the only one otherwise; must be
  // absent for consulting.
  serviceHours?: ServiceHours | ServiceHours | null;
  options?: readonly (OptionCode | OptionCode)[] | null;
  // Managed endpoints, required for per-endpoint plans (MDR).
  endpointCount?: number | null;
  termMonths: number;
  customLines?: readonly QuoteCustomLineInput[] | null;
  discount?: QuoteDiscount | null;
  // Picks the catalogue entry in force on this JST date; without it, the newest entry.
  quoteDate?: CalendarDate | Date | null;
}

export interface QuoteSettings {
  taxRounding?: RoundingMode;
}

export interface QuoteLine extends PricedLine {
  // Months a monthly line covers (the term); null for one-time lines.
  months: number | null;
}

export interface QuoteResult extends DocumentTotals {
  plan: PlanCode;
  planVersion: number;
  serviceHours: ServiceHours | null;
  termMonths: number;
  lines: QuoteLine[];
  // Before tax: initial and one-off lines (and their discounts), and one month of monthly lines.
  oneTimeTotal: number;
  monthlyTotal: number;
  contractPrices: ContractPrices;
}

export function computeQuote(
  input: QuoteInput,
  catalogue: Catalogue,
  partnerPricing?: PartnerPricing | null,
  settings: QuoteSettings = {},
): QuoteResult {
  const taxRounding = settings.taxRounding ?? DEFAULT_TAX_ROUNDING;
  assertRoundingMode(taxRounding, 'taxRounding');
  if (!isPlanCode(input.plan)) throw new ContractsError('BAD_INPUT', `unknown plan ${JSON.stringify(input.plan)}`, 'plan');
  const asOf = input.quoteDate == null ? undefined : toTokyoDate(input.quoteDate, 'quoteDate');
  const plan = findPlan(catalogue, input.plan, asOf);
  const termMonths = input.termMonths;
  if (!Number.isSafeInteger(termMonths) || termMonths < 1 || termMonths > MAX_TERM_MONTHS) {
    throw new ContractsError('BAD_INPUT', `termMonths must be a whole number of months from 1 to ${MAX_TERM_MONTHS}`, 'termMonths');
  }

  // Hours.
  let serviceHours = input.serviceHours ?? null;
  if (plan.serviceHours.length === 0) {
    if (serviceHours !== null) {
      throw new ContractsError('BAD_INPUT', `${plan.name} has no service hours`, 'serviceHours');
    }
  } else if (serviceHours === null) {
    if (plan.serviceHours.length > 1) {
      throw new ContractsError('BAD_INPUT', `choose the service hours of ${plan.name}: ${plan.serviceHours.join(' or ')}`, 'serviceHours');
    }
    serviceHours = plan.serviceHours[0];
  } else if (!isServiceHours(serviceHours) || !plan.serviceHours.includes(serviceHours)) {
    throw new ContractsError('BAD_INPUT', `${plan.name} is offered ${plan.serviceHours.map((h) => SERVICE_HOURS_LABELS[h].en).join(' or ')} only, not ${String(serviceHours)}`, 'serviceHours');
  }

  // Options.
  const seenOptions = new Set<OptionCode>();
  for (const code of input.options ?? []) {
    if (!isOptionCode(code)) throw new ContractsError('BAD_INPUT', `unknown option ${JSON.stringify(code)}`, 'options');
    if (seenOptions.has(code)) throw new ContractsError('BAD_INPUT', `option ${code} is listed twice`, 'options');
    seenOptions.add(code);
    if (!plan.availableOptions.includes(code) && !plan.includedOptions.includes(code)) {
      throw new ContractsError('BAD_INPUT', `option ${code} is not available with ${plan.name}`, 'options');
    }
  }

  // Endpoints.
  const endpointCount = input.endpointCount ?? null;
  if (plan.pricing === 'per_endpoint') {
    if (endpointCount === null || !Number.isSafeInteger(endpointCount) || endpointCount < 1) {
      throw new ContractsError('BAD_INPUT', `${plan.name} is priced per endpoint: give the number of endpoints (a whole number, at least 1)`, 'endpointCount');
    }
  } else if (endpointCount !== null) {
    throw new ContractsError('BAD_INPUT', `${plan.name} is not priced per endpoint`, 'endpointCount');
  }

  // Custom lines: the whole price of a quote-only plan; extras on a catalogue plan.
  const customLines = input.customLines ?? [];
  if (plan.pricing === 'quote_only' && customLines.length === 0) {
    throw new ContractsError('BAD_INPUT', `${plan.name} is quoted individually: enter the quote lines`, 'customLines');
  }
  customLines.forEach((line, i) => validateCustomLine(line, `customLines.${i}`));

  const prices = planPricesFor(plan, partnerPricing);
  const hoursLabel = serviceHours ? SERVICE_HOURS_LABELS[serviceHours] : null;
  const planLabel = {
    en: hoursLabel ? `${plan.name} (${hoursLabel.en})` : plan.name,
    ja: hoursLabel ? `${plan.nameJa}（${hoursLabel.ja}）` : plan.nameJa,
  };
  const lines: QuoteLine[] = [];
  const monthly = (en: string, ja: string) => ({
    en: `${en} x ${termMonths} month${termMonths === 1 ? '' : 's'}`,
    ja: `${ja} × ${termMonths}ヶ月`,
  });

  if (prices.initialFee !== null) {
    lines.push(line(`${plan.code}:INITIAL`, `${planLabel.en} - initial fee`, `${planLabel.ja} 初期費用`, 1, prices.initialFee, 'initial', null));
  }
  if (prices.monthlyFee !== null) {
    const d = monthly(`${planLabel.en} - monthly fee`, `${planLabel.ja} 月額費用`);
    lines.push(line(`${plan.code}:MONTHLY`, d.en, d.ja, termMonths, prices.monthlyFee, 'monthly', termMonths));
  }
  if (prices.perEndpointMonthlyFee !== null && endpointCount !== null) {
    const d = monthly(`${planLabel.en} - ${endpointCount} endpoints`, `${planLabel.ja} ${endpointCount}台`);
    const quantity = multiplyYen(endpointCount, termMonths, 'endpointCount');
    lines.push(line(`${plan.code}:ENDPOINT_MONTHLY`, d.en, d.ja, quantity, prices.perEndpointMonthlyFee, 'monthly', termMonths));
  }

  const optionPrices: Partial<Record<OptionCode, ContractOptionPrice>> = {};
  for (const code of seenOptions) {
    const option = findOption(catalogue, code, asOf);
    if (plan.includedOptions.includes(code)) {
      optionPrices[code] = { included: true, initialFee: 0, monthlyFee: 0 };
      // Shown so the customer sees it is part of the plan.
      lines.push(
        line(`${code}:INCLUDED`, `${option.name} (included in the plan)`, `${option.nameJa}（プランに含む）`, termMonths, 0, 'monthly', termMonths),
      );
      continue;
    }
    const p = optionPricesFor(option, partnerPricing);
    optionPrices[code] = { included: false, ...p };
    lines.push(line(`${code}:INITIAL`, `${option.name} - initial fee`, `${option.nameJa} 初期費用`, 1, p.initialFee, 'initial', null));
    const d = monthly(`${option.name} - monthly fee`, `${option.nameJa} 月額費用`);
    lines.push(line(`${code}:MONTHLY`, d.en, d.ja, termMonths, p.monthlyFee, 'monthly', termMonths));
  }

  const quotedLines: QuotedLine[] = [];
  customLines.forEach((custom, i) => {
    const recurring = custom.recurring ?? 'one_off';
    const taxRate = custom.taxRate ?? STANDARD_TAX_RATE;
    const descriptionJa = custom.descriptionJa ?? custom.description;
    quotedLines.push({
      key: `q${i + 1}`,
      description: custom.description,
      descriptionJa,
      quantity: custom.quantity,
      unitPrice: custom.unitPrice,
      recurring,
      taxRate,
    });
    if (recurring === 'monthly') {
      const d = monthly(custom.description, descriptionJa);
      const quantity = multiplyYen(custom.quantity, termMonths, `customLines.${i}.quantity`);
      lines.push(line('CUSTOM', d.en, d.ja, quantity, custom.unitPrice, 'monthly', termMonths, taxRate));
    } else {
      lines.push(line('CUSTOM', custom.description, descriptionJa, custom.quantity, custom.unitPrice, recurring, null, taxRate));
    }
  });

  // Discount.
  let discountBasisPoints = 0;
  const discount = input.discount ?? null;
  if (discount !== null) {
    // GraphQL input objects may carry the unused member as null.
    const { percent, amount, taxRate: amountTaxRate } = discount as { percent?: number | null; amount?: number | null; taxRate?: number | null };
    if (percent != null && amount == null) {
      discountBasisPoints = percentToBasisPoints(percent);
      lines.push(...percentDiscountLines(lines, discountBasisPoints, termMonths));
    } else if (amount != null && percent == null) {
      const taxRate = amountTaxRate ?? STANDARD_TAX_RATE;
      assertTaxRate(taxRate, 'discount.taxRate');
      assertYen(amount, 'discount.amount', { min: 1 });
      const base = sumYen(
        lines.filter((l) => l.taxRate === taxRate).map((l) => l.amount),
        'subtotal',
      );
      if (amount > base) {
        throw new ContractsError('BAD_INPUT', `the discount (${amount}) exceeds the ${taxRate}% items of the quote (${base})`, 'discount');
      }
      lines.push(line('DISCOUNT', 'Discount', '値引き', 1, -amount, 'one_off', null, taxRate));
      quotedLines.push({
        key: 'discount',
        description: 'Discount',
        descriptionJa: '値引き',
        quantity: 1,
        unitPrice: -amount,
        recurring: 'one_off',
        taxRate,
      });
    } else {
      throw new ContractsError('BAD_INPUT', 'a discount is either { percent } or { amount }', 'discount');
    }
  }

  const totals = computeDocumentTotals(lines, taxRounding);
  return {
    plan: plan.code,
    planVersion: plan.version,
    serviceHours,
    termMonths,
    lines,
    ...totals,
    oneTimeTotal: sumYen(
      lines.filter((l) => l.recurring !== 'monthly').map((l) => l.amount),
      'oneTimeTotal',
    ),
    monthlyTotal: sumYen(
      lines.filter((l) => l.recurring === 'monthly').map((l) => perMonth(l, termMonths)),
      'monthlyTotal',
    ),
    contractPrices: {
      planVersion: plan.version,
      initialFee: prices.initialFee ?? 0,
      monthlyFee: prices.monthlyFee ?? 0,
      perEndpointMonthlyFee: prices.perEndpointMonthlyFee ?? 0,
      options: optionPrices,
      quotedLines,
      discountBasisPoints,
    },
  };
}

// 12.5 -> 1250. Floats are only ever parsed here, into an exact integer.
export function percentToBasisPoints(percent: number): number {
  const scaled = typeof percent === 'number' ? percent * 100 : NaN;
  const basisPoints = Math.round(scaled);
  if (!Number.isFinite(scaled) || Math.abs(scaled - basisPoints) > 1e-6 || basisPoints < 1 || basisPoints > BASIS_POINTS_PER_UNIT) {
    throw new ContractsError('BAD_INPUT', 'the discount percent must be above 0 and at most 100, with at most two decimals', 'discount.percent');
  }
  return basisPoints;
}

// One negative line per tax rate for the one-time lines, and one per tax rate for the monthly
// lines (per month, over the term, so each month's discount equals what invoices will deduct).
function percentDiscountLines(lines: readonly QuoteLine[], basisPoints: number, termMonths: number): QuoteLine[] {
  const label = formatBasisPoints(basisPoints);
  const rates = [...new Set(lines.map((l) => l.taxRate))].sort((a, b) => b - a);
  const result: QuoteLine[] = [];
  for (const rate of rates) {
    const oneTime = sumYen(
      lines.filter((l) => l.taxRate === rate && l.recurring !== 'monthly').map((l) => l.amount),
      'subtotal',
    );
    const oneTimeDiscount = basisPointsOf(oneTime, basisPoints);
    if (oneTimeDiscount > 0) {
      result.push(
        line('DISCOUNT', `Discount ${label}% on one-time items`, `値引き ${label}%（初期・一時費用）`, 1, -oneTimeDiscount, 'one_off', null, rate),
      );
    }
    const monthlyBase = sumYen(
      lines.filter((l) => l.taxRate === rate && l.recurring === 'monthly').map((l) => perMonth(l, termMonths)),
      'subtotal',
    );
    const monthlyDiscount = basisPointsOf(monthlyBase, basisPoints);
    if (monthlyDiscount > 0) {
      result.push(
        line(
          'DISCOUNT',
          `Discount ${label}% on monthly fees x ${termMonths} month${termMonths === 1 ? '' : 's'}`,
          `値引き ${label}%（月額費用）× ${termMonths}ヶ月`,
          termMonths,
          -monthlyDiscount,
          'monthly',
          termMonths,
          rate,
        ),
      );
    }
  }
  return result;
}

// Monthly lines are built as (per-month quantity x months) x unit price, so this is exact.
function perMonth(l: QuoteLine, termMonths: number): number {
  const amount = l.amount / termMonths;
  if (!Number.isSafeInteger(amount)) throw new Error(`monthly line ${l.code} does not divide into ${termMonths} months`);
  return amount;
}

function formatBasisPoints(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const cents = basisPoints % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

function validateCustomLine(custom: QuoteCustomLineInput, field: string): void {
  if (typeof custom.description !== 'string' || custom.description.trim() === '') {
    throw new ContractsError('BAD_INPUT', `${field}: a description is required`, 'customLines');
  }
  if (custom.descriptionJa !== undefined && (typeof custom.descriptionJa !== 'string' || custom.descriptionJa.trim() === '')) {
    throw new ContractsError('BAD_INPUT', `${field}: the Japanese description cannot be empty`, 'customLines');
  }
  if (!Number.isSafeInteger(custom.quantity) || custom.quantity < 1) {
    throw new ContractsError('BAD_INPUT', `${field}: quantity must be a whole number of at least 1`, 'customLines');
  }
  if (!Number.isSafeInteger(custom.unitPrice) || custom.unitPrice < 0) {
    throw new ContractsError('BAD_INPUT', `${field}: unitPrice must be whole yen, 0 or more (use discount for reductions)`, 'customLines');
  }
  if (custom.recurring !== undefined && !RECURRENCES.includes(custom.recurring)) {
    throw new ContractsError('BAD_INPUT', `${field}: recurring must be one of ${RECURRENCES.join(', ')}`, 'customLines');
  }
  if (custom.taxRate !== undefined && (!Number.isInteger(custom.taxRate) || custom.taxRate < 0 || custom.taxRate > 100)) {
    throw new ContractsError('BAD_INPUT', `${field}: taxRate must be a whole percent between 0 and 100`, 'customLines');
  }
  multiplyYen(custom.quantity, custom.unitPrice, 'customLines');
}

function line(
  code: string,
  description: string,
  descriptionJa: string,
  quantity: number,
  unitPrice: number,
  recurring: Recurrence,
  months: number | null,
  taxRate: number = STANDARD_TAX_RATE,
): QuoteLine {
  return { ...pricedLine(code, description, descriptionJa, quantity, unitPrice, recurring, taxRate), months };
}
