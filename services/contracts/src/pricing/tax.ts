import { ContractsError } from '../contracts.errors';
import { assertRoundingMode, divideRounded, RoundingMode, sumYen } from './money';

// Japanese consumption tax. Under the qualified invoice system (インボイス制度) the fraction of
// yen is rounded once per document and per tax rate, over the sum of that rate's taxable amounts,
// never line by line. The rounding mode is a provider setting; rounding down is the default.
export const STANDARD_TAX_RATE = 10;
export const REDUCED_TAX_RATE = 8;
export const DEFAULT_TAX_ROUNDING: RoundingMode = 'floor';

export interface TaxableLine {
  amount: number;
  // Percent: 10 (standard), 8 (reduced), 0 (not taxed).
  taxRate: number;
}

export interface TaxByRate {
  rate: number;
  taxable: number;
  tax: number;
}

export interface DocumentTotals {
  subtotal: number;
  taxByRate: TaxByRate[];
  tax: number;
  total: number;
}

export function assertTaxRate(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new ContractsError('BAD_INPUT', `${field} must be a whole percent between 0 and 100`, field);
  }
}

// One entry per rate present, highest rate first; tax rounded once per rate.
export function computeTaxByRate(lines: readonly TaxableLine[], rounding: RoundingMode = DEFAULT_TAX_ROUNDING): TaxByRate[] {
  assertRoundingMode(rounding, 'taxRounding');
  const byRate = new Map<number, number[]>();
  for (const line of lines) {
    const amounts = byRate.get(line.taxRate) ?? [];
    amounts.push(line.amount);
    byRate.set(line.taxRate, amounts);
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rate, amounts]) => {
      const taxable = sumYen(amounts, 'subtotal');
      const tax = Number(divideRounded(BigInt(taxable) * BigInt(rate), 100n, rounding));
      return { rate, taxable, tax };
    });
}

export function computeDocumentTotals(
  lines: readonly TaxableLine[],
  rounding: RoundingMode = DEFAULT_TAX_ROUNDING,
): DocumentTotals {
  const taxByRate = computeTaxByRate(lines, rounding);
  const subtotal = sumYen(
    taxByRate.map((t) => t.taxable),
    'subtotal',
  );
  const tax = sumYen(
    taxByRate.map((t) => t.tax),
    'tax',
  );
  return { subtotal, taxByRate, tax, total: sumYen([subtotal, tax], 'total') };
}
