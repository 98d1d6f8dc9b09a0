import { OptionCode, PlanCode, upperEnumOf } from '@kanshi/events';
// Prices as sold: what a quote fixes and a contract keeps (grandfathered), and how a partner's
// terms turn catalogue prices into the partner's prices.
import { ContractsError } from '../contracts.errors';
import { CatalogueOption, CataloguePlan, isOptionCode, isPlanCode } from './catalogue';
import { assertBasisPoints, assertYen, basisPointsOf, multiplyYen } from './money';
import { assertTaxRate, STANDARD_TAX_RATE } from './tax';

// initial: billed once with the first invoice of a contract; monthly: every month in service
// (prorated for a partial month); one_off: billed once (with the first invoice when on a contract).
export const RECURRENCES = ['initial', 'monthly', 'one_off'] as const;
export type Recurrence = (typeof RECURRENCES)[number];
// The GraphQL enum LineRecurrence: INITIAL, MONTHLY, ONE_OFF.
export const LineRecurrence = upperEnumOf(RECURRENCES);

// What every priced line says, on a quote or an invoice (amounts in JPY, taxRate in percent).
export interface PricedLine {
  code: string;
  description: string;
  descriptionJa: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxRate: number;
  recurring: Recurrence;
}

// A priced line: the amount is quantity x unit price, checked to stay a safe integer of yen.
export function pricedLine(
  code: string,
  description: string,
  descriptionJa: string,
  quantity: number,
  unitPrice: number,
  recurring: Recurrence,
  taxRate: number = STANDARD_TAX_RATE,
): PricedLine {
  return { code, description, descriptionJa, quantity, unitPrice, amount: multiplyYen(quantity, unitPrice, 'amount'), taxRate, recurring };
}

// A line sales entered on the quote (the only prices of quote-only plans), kept on the contract.
export interface QuotedLine {
  // Stable within the contract: part of the invoice line key.
  key: string;
  description: string;
  descriptionJa: string;
  quantity: number;
  // Negative only for an amount discount carried from the quote.
  unitPrice: number;
  recurring: Recurrence;
  taxRate: number;
}

export interface ContractOptionPrice {
  // Part of the plan: billed at nothing.
  included: boolean;
  initialFee: number;
  monthlyFee: number;
}

// The prices a contract was sold at. Invoices use these and never the current catalogue.
export interface ContractPrices {
  // The catalogue version of the plan the quote was priced from.
  planVersion: number;
  // 0 where the plan has no such fee.
  initialFee: number;
  monthlyFee: number;
  perEndpointMonthlyFee: number;
  // Prices of the options the contract has.
  options: Partial<Record<OptionCode, ContractOptionPrice>>;
  quotedLines: QuotedLine[];
  // A percentage discount agreed on the quote, applied to every charge of the contract.
  discountBasisPoints: number;
}

export interface WholesalePlanPrices {
  initialFee?: number;
  monthlyFee?: number;
  perEndpointMonthlyFee?: number;
}

export interface WholesaleOptionPrices {
  initialFee?: number;
  monthlyFee?: number;
}

// A partner's terms: a discount off every catalogue price (basis points, 1500 = 15%; the discount
// is rounded down to the yen), or wholesale prices per plan / option (unlisted ones stay at the
// catalogue price). Prices sales enters for quote-only plans are individual and not discounted.
export type PartnerPricing =
  | { kind: 'discount'; basisPoints: number }
  | {
      kind: 'wholesale';
      plans: Partial<Record<PlanCode, WholesalePlanPrices>>;
      options?: Partial<Record<OptionCode, WholesaleOptionPrices>>;
    };

export interface PlanPrices {
  initialFee: number | null;
  monthlyFee: number | null;
  perEndpointMonthlyFee: number | null;
}

export function validatePartnerPricing(pricing: PartnerPricing): void {
  const field = 'partnerPricing';
  if (pricing.kind === 'discount') {
    assertBasisPoints(pricing.basisPoints, `${field}.basisPoints`);
    return;
  }
  if (pricing.kind !== 'wholesale') {
    throw new ContractsError('BAD_INPUT', 'partner pricing is either a discount or wholesale prices', field);
  }
  for (const [code, prices] of Object.entries(pricing.plans ?? {})) {
    if (!isPlanCode(code)) throw new ContractsError('BAD_INPUT', `unknown plan ${code} in wholesale prices`, field);
    for (const [fee, value] of Object.entries(prices ?? {})) {
      if (!['initialFee', 'monthlyFee', 'perEndpointMonthlyFee'].includes(fee)) {
        throw new ContractsError('BAD_INPUT', `unknown wholesale price ${fee} for ${code}`, field);
      }
      assertYen(value, `${field}.plans.${code}.${fee}`, { min: 0 });
    }
  }
  for (const [code, prices] of Object.entries(pricing.options ?? {})) {
    if (!isOptionCode(code)) throw new ContractsError('BAD_INPUT', `unknown option ${code} in wholesale prices`, field);
    for (const [fee, value] of Object.entries(prices ?? {})) {
      if (!['initialFee', 'monthlyFee'].includes(fee)) {
        throw new ContractsError('BAD_INPUT', `unknown wholesale price ${fee} for ${code}`, field);
      }
      assertYen(value, `${field}.options.${code}.${fee}`, { min: 0 });
    }
  }
}

// The plan's prices for this seller: the catalogue's, or the partner's.
export function planPricesFor(plan: CataloguePlan, partner?: PartnerPricing | null): PlanPrices {
  const list: PlanPrices = {
    initialFee: plan.initialFee,
    monthlyFee: plan.monthlyFee,
    perEndpointMonthlyFee: plan.perEndpointMonthlyFee,
  };
  if (!partner) return list;
  validatePartnerPricing(partner);
  if (partner.kind === 'discount') {
    return {
      initialFee: discounted(list.initialFee, partner.basisPoints),
      monthlyFee: discounted(list.monthlyFee, partner.basisPoints),
      perEndpointMonthlyFee: discounted(list.perEndpointMonthlyFee, partner.basisPoints),
    };
  }
  const wholesale = partner.plans[plan.code] ?? {};
  for (const fee of ['initialFee', 'monthlyFee', 'perEndpointMonthlyFee'] as const) {
    if (wholesale[fee] !== undefined && list[fee] === null) {
      throw new ContractsError('BAD_INPUT', `plan ${plan.code} has no ${fee} to set a wholesale price for`, 'partnerPricing');
    }
  }
  return {
    initialFee: list.initialFee === null ? null : (wholesale.initialFee ?? list.initialFee),
    monthlyFee: list.monthlyFee === null ? null : (wholesale.monthlyFee ?? list.monthlyFee),
    perEndpointMonthlyFee:
      list.perEndpointMonthlyFee === null ? null : (wholesale.perEndpointMonthlyFee ?? list.perEndpointMonthlyFee),
  };
}

export function optionPricesFor(
  option: CatalogueOption,
  partner?: PartnerPricing | null,
): { initialFee: number; monthlyFee: number } {
  if (!partner) return { initialFee: option.initialFee, monthlyFee: option.monthlyFee };
  validatePartnerPricing(partner);
  if (partner.kind === 'discount') {
    return {
      initialFee: option.initialFee - basisPointsOf(option.initialFee, partner.basisPoints),
      monthlyFee: option.monthlyFee - basisPointsOf(option.monthlyFee, partner.basisPoints),
    };
  }
  const wholesale = partner.options?.[option.code] ?? {};
  return {
    initialFee: wholesale.initialFee ?? option.initialFee,
    monthlyFee: wholesale.monthlyFee ?? option.monthlyFee,
  };
}

// Checks prices read back from a contract before billing from them.
export function validateContractPrices(prices: ContractPrices, field: string): void {
  if (!prices || typeof prices !== 'object' || !Array.isArray(prices.quotedLines) || !prices.options || typeof prices.options !== 'object') {
    throw new ContractsError('BAD_INPUT', 'contract prices need fees, options and quoted lines', field);
  }
  assertYen(prices.initialFee, `${field}.initialFee`, { min: 0 });
  assertYen(prices.monthlyFee, `${field}.monthlyFee`, { min: 0 });
  assertYen(prices.perEndpointMonthlyFee, `${field}.perEndpointMonthlyFee`, { min: 0 });
  assertBasisPoints(prices.discountBasisPoints, `${field}.discountBasisPoints`);
  for (const [code, option] of Object.entries(prices.options)) {
    if (!isOptionCode(code)) throw new ContractsError('BAD_INPUT', `unknown option ${code}`, `${field}.options`);
    assertYen(option?.initialFee, `${field}.options.${code}.initialFee`, { min: 0 });
    assertYen(option?.monthlyFee, `${field}.options.${code}.monthlyFee`, { min: 0 });
  }
  const keys = new Set<string>();
  prices.quotedLines.forEach((line, i) => {
    const at = `${field}.quotedLines.${i}`;
    if (typeof line.key !== 'string' || line.key === '' || keys.has(line.key)) {
      throw new ContractsError('BAD_INPUT', 'each quoted line needs a unique key', `${at}.key`);
    }
    keys.add(line.key);
    if (!RECURRENCES.includes(line.recurring)) throw new ContractsError('BAD_INPUT', 'unknown recurrence', `${at}.recurring`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new ContractsError('BAD_INPUT', 'quantity must be a whole number of at least 1', `${at}.quantity`);
    }
    assertYen(line.unitPrice, `${at}.unitPrice`);
    assertTaxRate(line.taxRate, `${at}.taxRate`);
  });
}

function discounted(price: number | null, basisPoints: number): number | null {
  return price === null ? null : price - basisPointsOf(price, basisPoints);
}
