import { divideRounded, multiplyRatio } from './money';
import { computeDocumentTotals, computeTaxByRate } from './tax';

describe('consumption tax', () => {
  it('rounds once per document and rate, not per line', () => {
    const lines = [
      { amount: 1_005, taxRate: 10 },
      { amount: 1_005, taxRate: 10 },
    ];
    // Per line it would be floor(100.5) + floor(100.5) = 200.
    expect(computeDocumentTotals(lines)).toEqual({
      subtotal: 2_010,
      taxByRate: [{ rate: 10, taxable: 2_010, tax: 201 }],
      tax: 201,
      total: 2_211,
    });
  });

  it('rounds down by default, and half up or up when configured', () => {
    const lines = [{ amount: 1_005, taxRate: 10 }];
    expect(computeDocumentTotals(lines).tax).toBe(100);
    expect(computeDocumentTotals(lines, 'round').tax).toBe(101);
    expect(computeDocumentTotals(lines, 'ceil').tax).toBe(101);
    expect(computeDocumentTotals([{ amount: 1_004, taxRate: 10 }], 'round').tax).toBe(100);
    expect(computeDocumentTotals([{ amount: 1_004, taxRate: 10 }], 'ceil').tax).toBe(101);
  });

  it('keeps the standard and reduced rates apart, highest first', () => {
    expect(
      computeTaxByRate([
        { amount: 999, taxRate: 8 },
        { amount: 150_000, taxRate: 10 },
        { amount: 1, taxRate: 8 },
        { amount: 5_000, taxRate: 0 },
      ]),
    ).toEqual([
      { rate: 10, taxable: 150_000, tax: 15_000 },
      { rate: 8, taxable: 1_000, tax: 80 },
      { rate: 0, taxable: 5_000, tax: 0 },
    ]);
  });

  it('subtracts discounts before the tax is computed', () => {
    expect(
      computeDocumentTotals([
        { amount: 250_000, taxRate: 10 },
        { amount: -25_001, taxRate: 10 },
      ]),
    ).toMatchObject({ subtotal: 224_999, tax: 22_499, total: 247_498 });
  });

  it('refuses an unknown rounding mode naming the setting', () => {
    expect(() => computeTaxByRate([], 'bankers' as never)).toThrow(expect.objectContaining({ field: 'taxRounding' }));
  });
});

describe('integer money arithmetic', () => {
  it('rounds fractions exactly, negative ones included', () => {
    expect(divideRounded(-1005n, 10n, 'floor')).toBe(-101n);
    expect(divideRounded(-1005n, 10n, 'ceil')).toBe(-100n);
    expect(divideRounded(-1005n, 10n, 'round')).toBe(-101n);
    expect(divideRounded(1004n, 10n, 'round')).toBe(100n);
  });

  it('stays exact beyond the range where floats lose yen', () => {
    // 9,007,199,254,740,991 x 3 / 3 is exact in BigInt; in floats it would be off.
    expect(multiplyRatio(Number.MAX_SAFE_INTEGER, 3, 3, 'floor')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => multiplyRatio(Number.MAX_SAFE_INTEGER, 2, 1, 'floor')).toThrow(/too large/);
  });
});
