// Builds the lines and totals of one monthly invoice (pure and deterministic: same input, same
// invoice, same line keys, so a repeated billing run finds the lines it already wrote).
//
// Rules:
// - Prices come from the contract (ContractPrices, fixed when the quote was accepted), never from
//   the current catalogue: a catalogue price change does not reach existing contracts.
// - A contract is billed from the period containing its start date. Initial fees (plan, options,
//   one-time quoted lines) appear once, on the first invoice (`initialFeeInvoiced` false); their
//   line keys carry no period, so they cannot be stored twice.
// - Monthly fees (plan, options not included in the plan, monthly quoted lines, MDR) are prorated
//   by days for a partial first or last month (see proration.ts); a prorated line reads
//   1 x (prorated amount) and says which days and fraction it covers.
// - An option included in the plan (liveness monitoring on FE security monitoring) costs nothing
//   and is not listed.
// - MDR: the highest number of managed endpoints counted on any single JST day of the month,
//   among the days the contract was in service, x the contract's per-endpoint monthly price;
//   a partial month is prorated like any monthly fee. A month with no endpoints has no MDR line.
// - A percentage discount agreed on the quote is a negative line per contract and tax rate,
//   one for the one-time charges and one for the month's charges (rounded down to the yen).
// - Consumption tax is computed once per tax rate over the whole invoice (tax.ts), as the
//   qualified invoice system requires.
// - A partner's invoice covers several customers: every line names its customer.
import { CalendarDate, DateLike, isCalendarDate, toTokyoDate } from '@kanshi/calendar';
import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { ContractsError } from '../contracts.errors';
import { assertRegistrationNumber } from '../customers/registration-number';
import {
  isOptionCode,
  isPlanCode,
  isServiceHours,
  OPTION_NAMES,
  PLAN_NAMES,
  SERVICE_HOURS_LABELS,
} from '../pricing/catalogue';
import { ContractPrices, PricedLine, pricedLine, Recurrence, validateContractPrices } from '../pricing/contract-prices';
import { assertRoundingMode, basisPointsOf, multiplyYen, RoundingMode, sumYen } from '../pricing/money';
import { computeDocumentTotals, DEFAULT_TAX_ROUNDING, DocumentTotals, STANDARD_TAX_RATE } from '../pricing/tax';
import { BillingPeriod, parseBillingPeriod } from './billing-period';
import { computeProration, Proration } from './proration';

export interface InvoiceIssuer {
  name: string;
  // T + 13 digits (qualified invoice issuer registration number).
  registrationNumber: string;
}

export type InvoiceRecipient =
  | { kind: 'customer'; customerId: string; name: string }
  | { kind: 'partner'; partnerId: string; name: string };

// Managed endpoints counted on one JST day (from endpoint-response's endpoints.counted events).
export interface EndpointDailyCount {
  date: CalendarDate;
  count: number;
}

export interface ContractToBill {
  contractId: string;
  plan: PlanCode | PlanCode;
  serviceHours: ServiceHours | ServiceHours | null;
  options: readonly (OptionCode | OptionCode)[];
  prices: ContractPrices;
  startDate: DateLike;
  // Inclusive last day of service; null while the contract runs.
  endDate: DateLike | null;
  initialFeeInvoiced: boolean;
  // Required when the contract has a per-endpoint price; days outside the service are ignored.
  endpointCounts?: readonly EndpointDailyCount[];
}

// A line a billing clerk adds for this invoice only (extra work, a credit as a negative price).
export interface InvoiceCustomLine {
  // Unique and stable: the line key is `custom:${id}`.
  id: string;
  description: string;
  descriptionJa?: string;
  quantity: number;
  unitPrice: number;
  taxRate?: number;
  contractId?: string | null;
}

export interface CustomerToBill {
  customerId: string;
  name: string;
  partnerId: string | null;
  contracts: readonly ContractToBill[];
  customLines?: readonly InvoiceCustomLine[];
}

export interface BuildInvoiceInput {
  period: string;
  issuer: InvoiceIssuer;
  recipient: InvoiceRecipient;
  customers: readonly CustomerToBill[];
  taxRounding?: RoundingMode;
  // Payment due this many days after closing instead of at the end of the next month.
  dueInDays?: number;
}

export interface InvoiceLine extends PricedLine {
  lineKey: string;
  customerId: string;
  contractId: string | null;
  // The days a monthly line covers.
  servicePeriod: { from: CalendarDate; to: CalendarDate } | null;
  // Set on a prorated line: the full monthly amount and the fraction charged.
  proration: { billableDays: number; daysInPeriod: number; fullAmount: number } | null;
}

export interface InvoiceDraft extends DocumentTotals {
  period: string;
  closingDate: CalendarDate;
  dueDate: CalendarDate;
  issuer: InvoiceIssuer;
  recipient: InvoiceRecipient;
  taxRounding: RoundingMode;
  lines: InvoiceLine[];
  // Pre-tax subtotal per customer with lines, in line order.
  customers: { customerId: string; name: string; subtotal: number }[];
  // Contracts whose initial fees are on this invoice: set their `initialFeeInvoiced` on storing it.
  initialFeesInvoicedFor: string[];
}

export function buildInvoice(input: BuildInvoiceInput): InvoiceDraft {
  const period = parseBillingPeriod(input.period, { dueInDays: input.dueInDays });
  const taxRounding = input.taxRounding ?? DEFAULT_TAX_ROUNDING;
  assertRoundingMode(taxRounding, 'taxRounding');
  if (typeof input.issuer?.name !== 'string' || input.issuer.name.trim() === '') {
    throw new ContractsError('BAD_INPUT', 'the issuer name is required on an invoice', 'issuer.name');
  }
  assertRegistrationNumber(input.issuer.registrationNumber, 'issuer.registrationNumber');
  validateRecipient(input.recipient, input.customers);

  const customers = [...input.customers].sort(
    (a, b) => compareStrings(a.name, b.name) || compareStrings(a.customerId, b.customerId),
  );
  const lines: InvoiceLine[] = [];
  const initialFeesInvoicedFor: string[] = [];
  customers.forEach((customer) => {
    const at = `customers.${input.customers.indexOf(customer)}`;
    const contracts = customer.contracts.map((contract, i) => ({
      contract,
      at: `${at}.contracts.${i}`,
      start: toTokyoDate(contract.startDate, `${at}.contracts.${i}.startDate`),
    }));
    contracts.sort((a, b) => compareStrings(a.start, b.start) || compareStrings(a.contract.contractId, b.contract.contractId));
    for (const { contract, at: contractAt } of contracts) {
      const billed = contractLines(customer.customerId, contract, period, contractAt);
      lines.push(...billed.lines);
      if (billed.initialInvoiced) initialFeesInvoicedFor.push(contract.contractId);
    }
    (customer.customLines ?? []).forEach((custom, i) => lines.push(customLine(customer.customerId, custom, `${at}.customLines.${i}`)));
  });

  const keys = new Set<string>();
  for (const line of lines) {
    if (keys.has(line.lineKey)) throw new ContractsError('CONFLICT', `two invoice lines have the key ${line.lineKey}`, 'customers');
    keys.add(line.lineKey);
  }

  const totals = computeDocumentTotals(lines, taxRounding);
  if (totals.subtotal < 0 || totals.taxByRate.some((t) => t.taxable < 0)) {
    throw new ContractsError('CONFLICT', 'the invoice would be negative: issue a credit note instead', 'customLines');
  }
  const customerSubtotals = customers
    .map((c) => ({
      customerId: c.customerId,
      name: c.name,
      subtotal: sumYen(
        lines.filter((l) => l.customerId === c.customerId).map((l) => l.amount),
        'subtotal',
      ),
      hasLines: lines.some((l) => l.customerId === c.customerId),
    }))
    .filter((c) => c.hasLines)
    .map(({ customerId, name, subtotal }) => ({ customerId, name, subtotal }));

  return {
    period: period.period,
    closingDate: period.closingDate,
    dueDate: period.dueDate,
    issuer: { name: input.issuer.name, registrationNumber: input.issuer.registrationNumber },
    recipient: input.recipient,
    taxRounding,
    lines,
    ...totals,
    customers: customerSubtotals,
    initialFeesInvoicedFor,
  };
}

// The highest count on any day from..to (inclusive JST dates); 0 when none was counted.
export function peakEndpointCount(
  counts: readonly EndpointDailyCount[],
  from: CalendarDate,
  to: CalendarDate,
  field = 'endpointCounts',
): number {
  let peak = 0;
  counts.forEach((c, i) => {
    if (!isCalendarDate(c.date)) throw new ContractsError('BAD_INPUT', 'a daily count needs a date YYYY-MM-DD', `${field}.${i}.date`);
    if (!Number.isSafeInteger(c.count) || c.count < 0) {
      throw new ContractsError('BAD_INPUT', 'a daily count is a whole number, 0 or more', `${field}.${i}.count`);
    }
    if (c.date >= from && c.date <= to && c.count > peak) peak = c.count;
  });
  return peak;
}

function contractLines(
  customerId: string,
  contract: ContractToBill,
  period: BillingPeriod,
  at: string,
): { lines: InvoiceLine[]; initialInvoiced: boolean } {
  if (typeof contract.contractId !== 'string' || contract.contractId === '') {
    throw new ContractsError('BAD_INPUT', 'a contract id is required', `${at}.contractId`);
  }
  if (!isPlanCode(contract.plan)) throw new ContractsError('BAD_INPUT', `unknown plan ${JSON.stringify(contract.plan)}`, `${at}.plan`);
  if (contract.serviceHours != null && !isServiceHours(contract.serviceHours)) {
    throw new ContractsError('BAD_INPUT', `unknown service hours ${JSON.stringify(contract.serviceHours)}`, `${at}.serviceHours`);
  }
  const prices = contract.prices;
  validateContractPrices(prices, `${at}.prices`);
  prices.quotedLines.forEach((q, i) => {
    if (q.recurring === 'monthly' && q.unitPrice < 0) {
      throw new ContractsError('BAD_INPUT', 'a monthly quoted line cannot be negative', `${at}.prices.quotedLines.${i}.unitPrice`);
    }
  });
  const start = toTokyoDate(contract.startDate, `${at}.startDate`);
  const end = contract.endDate == null ? null : toTokyoDate(contract.endDate, `${at}.endDate`);
  if (end !== null && end < start) throw new ContractsError('BAD_INPUT', 'a contract cannot end before it starts', `${at}.endDate`);
  // Not started yet: nothing to bill this month.
  if (start > period.closingDate) return { lines: [], initialInvoiced: false };

  const id = contract.contractId;
  const key = `${id}:${period.period}`;
  const hours = contract.serviceHours ? SERVICE_HOURS_LABELS[contract.serviceHours] : null;
  const name = PLAN_NAMES[contract.plan];
  const plan = {
    en: hours ? `${name.en} (${hours.en})` : name.en,
    ja: hours ? `${name.ja}（${hours.ja}）` : name.ja,
  };
  const options = contract.options.map((code, i) => {
    if (!isOptionCode(code)) throw new ContractsError('BAD_INPUT', `unknown option ${JSON.stringify(code)}`, `${at}.options.${i}`);
    const price = prices.options[code];
    if (!price) throw new ContractsError('BAD_INPUT', `the contract has option ${code} but no price for it`, `${at}.prices.options`);
    return { code, price, name: OPTION_NAMES[code] };
  });
  const billable = options.filter((o) => !o.price.included);
  const base = { customerId, contractId: id, servicePeriod: null, proration: null };
  const lines: InvoiceLine[] = [];

  // One-time charges, on the first invoice only.
  const oneTime: InvoiceLine[] = [];
  if (!contract.initialFeeInvoiced) {
    if (prices.initialFee > 0) {
      oneTime.push(fixedLine(base, `${id}:initial`, `${contract.plan}:INITIAL`, `${plan.en} - initial fee`, `${plan.ja} 初期費用`, 1, prices.initialFee, 'initial'));
    }
    for (const o of billable) {
      if (o.price.initialFee > 0) {
        oneTime.push(fixedLine(base, `${id}:option:${o.code}:initial`, `${o.code}:INITIAL`, `${o.name.en} - initial fee`, `${o.name.ja} 初期費用`, 1, o.price.initialFee, 'initial'));
      }
    }
    for (const q of prices.quotedLines) {
      if (q.recurring !== 'monthly' && q.unitPrice !== 0) {
        oneTime.push(fixedLine(base, `${id}:quoted:${q.key}`, 'QUOTED', q.description, q.descriptionJa, q.quantity, q.unitPrice, q.recurring, q.taxRate));
      }
    }
  }
  lines.push(...oneTime);

  // This month's charges, prorated for a partial month.
  const monthly: InvoiceLine[] = [];
  const days = computeProration(0, period, start, end);
  if (days.billableDays > 0) {
    const monthlyLine = (lineKey: string, code: string, en: string, ja: string, quantity: number, unitPrice: number, taxRate = STANDARD_TAX_RATE) => {
      const fullAmount = multiplyYen(quantity, unitPrice, 'amount');
      if (fullAmount === 0) return;
      const p = computeProration(fullAmount, period, start, end);
      const note = periodNote(p, period);
      monthly.push({
        ...base,
        lineKey,
        code,
        description: en + note.en,
        descriptionJa: ja + note.ja,
        quantity: p.full ? quantity : 1,
        unitPrice: p.full ? unitPrice : p.amount,
        amount: p.amount,
        taxRate,
        recurring: 'monthly',
        servicePeriod: { from: p.from as CalendarDate, to: p.to as CalendarDate },
        proration: p.full ? null : { billableDays: p.billableDays, daysInPeriod: p.daysInPeriod, fullAmount },
      });
    };
    monthlyLine(`${key}:monthly`, `${contract.plan}:MONTHLY`, `${plan.en} - monthly fee`, `${plan.ja} 月額費用`, 1, prices.monthlyFee);
    for (const o of billable) {
      monthlyLine(`${key}:option:${o.code}:monthly`, `${o.code}:MONTHLY`, `${o.name.en} - monthly fee`, `${o.name.ja} 月額費用`, 1, o.price.monthlyFee);
    }
    for (const q of prices.quotedLines) {
      if (q.recurring === 'monthly') {
        monthlyLine(`${key}:quoted:${q.key}`, 'QUOTED', q.description, q.descriptionJa, q.quantity, q.unitPrice, q.taxRate);
      }
    }
    if (prices.perEndpointMonthlyFee > 0) {
      if (!contract.endpointCounts) {
        throw new ContractsError('BAD_INPUT', 'a per-endpoint contract needs the daily endpoint counts of the month', `${at}.endpointCounts`);
      }
      const peak = peakEndpointCount(contract.endpointCounts, days.from as CalendarDate, days.to as CalendarDate, `${at}.endpointCounts`);
      monthlyLine(
        `${key}:endpoints`,
        `${contract.plan}:ENDPOINT_MONTHLY`,
        `${plan.en} - ${peak} endpoints (highest daily count) x ${prices.perEndpointMonthlyFee} JPY`,
        `${plan.ja} ${peak}台（月間最大日次台数）× ${prices.perEndpointMonthlyFee}円`,
        peak,
        prices.perEndpointMonthlyFee,
      );
    }
  }
  lines.push(...monthly);

  // The contract's agreed percentage discount, per group and tax rate.
  if (prices.discountBasisPoints > 0) {
    const label = `${prices.discountBasisPoints / 100}%`;
    for (const [group, groupLines] of [
      ['one-time', oneTime],
      ['monthly', monthly],
    ] as const) {
      const rates = [...new Set(groupLines.map((l) => l.taxRate))].sort((a, b) => b - a);
      for (const rate of rates) {
        const discountBase = sumYen(
          groupLines.filter((l) => l.taxRate === rate).map((l) => l.amount),
          'amount',
        );
        const discount = discountBase > 0 ? basisPointsOf(discountBase, prices.discountBasisPoints) : 0;
        if (discount === 0) continue;
        lines.push(
          fixedLine(
            group === 'monthly' ? { ...base, servicePeriod: { from: days.from as CalendarDate, to: days.to as CalendarDate } } : base,
            group === 'monthly' ? `${key}:discount:monthly:${rate}` : `${id}:discount:one-time:${rate}`,
            'DISCOUNT',
            group === 'monthly' ? `Discount ${label} on monthly fees` : `Discount ${label} on initial fees`,
            group === 'monthly' ? `値引き ${label}（月額費用）` : `値引き ${label}（初期費用）`,
            1,
            -discount,
            group === 'monthly' ? 'monthly' : 'one_off',
            rate,
          ),
        );
      }
    }
  }

  return { lines, initialInvoiced: !contract.initialFeeInvoiced };
}

function customLine(customerId: string, custom: InvoiceCustomLine, at: string): InvoiceLine {
  if (typeof custom.id !== 'string' || custom.id === '') throw new ContractsError('BAD_INPUT', 'a custom line needs an id', `${at}.id`);
  if (typeof custom.description !== 'string' || custom.description.trim() === '') {
    throw new ContractsError('BAD_INPUT', 'a custom line needs a description', `${at}.description`);
  }
  if (!Number.isSafeInteger(custom.quantity) || custom.quantity < 1) {
    throw new ContractsError('BAD_INPUT', 'quantity must be a whole number of at least 1', `${at}.quantity`);
  }
  if (!Number.isSafeInteger(custom.unitPrice)) throw new ContractsError('BAD_INPUT', 'unitPrice must be whole yen', `${at}.unitPrice`);
  const taxRate = custom.taxRate ?? STANDARD_TAX_RATE;
  if (!Number.isInteger(taxRate) || taxRate < 0 || taxRate > 100) {
    throw new ContractsError('BAD_INPUT', 'taxRate must be a whole percent between 0 and 100', `${at}.taxRate`);
  }
  return fixedLine(
    { customerId, contractId: custom.contractId ?? null, servicePeriod: null, proration: null },
    `custom:${custom.id}`,
    'CUSTOM',
    custom.description,
    custom.descriptionJa ?? custom.description,
    custom.quantity,
    custom.unitPrice,
    'one_off',
    taxRate,
  );
}

function fixedLine(
  base: Pick<InvoiceLine, 'customerId' | 'contractId' | 'servicePeriod' | 'proration'>,
  lineKey: string,
  code: string,
  description: string,
  descriptionJa: string,
  quantity: number,
  unitPrice: number,
  recurring: Recurrence,
  taxRate: number = STANDARD_TAX_RATE,
): InvoiceLine {
  return { ...base, lineKey, ...pricedLine(code, description, descriptionJa, quantity, unitPrice, recurring, taxRate) };
}

function periodNote(p: Proration, period: BillingPeriod): { en: string; ja: string } {
  if (p.full) return { en: ` (${period.period})`, ja: `（${period.year}年${period.month}月分）` };
  return {
    en: ` (${p.from} to ${p.to}, prorated ${p.billableDays}/${p.daysInPeriod} days)`,
    ja: `（${p.from}〜${p.to} 日割 ${p.billableDays}/${p.daysInPeriod}日）`,
  };
}

function validateRecipient(recipient: InvoiceRecipient, customers: readonly CustomerToBill[]): void {
  if (recipient?.kind === 'customer') {
    if (customers.length !== 1 || customers[0].customerId !== recipient.customerId) {
      throw new ContractsError('BAD_INPUT', "a customer's invoice covers that customer only", 'customers');
    }
    return;
  }
  if (recipient?.kind === 'partner') {
    const foreign = customers.find((c) => c.partnerId !== recipient.partnerId);
    if (foreign) {
      throw new ContractsError('BAD_INPUT', `customer ${foreign.customerId} is not a customer of partner ${recipient.partnerId}`, 'customers');
    }
    return;
  }
  throw new ContractsError('BAD_INPUT', 'the recipient is a customer or a partner', 'recipient');
}

// Code-point order: deterministic whatever the process locale.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
