import fc from 'fast-check';
import { addDays } from '@kanshi/calendar';
import { ContractsError } from '../contracts.errors';
import { parseBillingPeriod } from './billing-period';
import { computeProration, prorate } from './proration';

const nov = parseBillingPeriod('2026-11'); // 30 days
const dec = parseBillingPeriod('2026-12'); // 31 days

describe('proration of monthly fees', () => {
  it('charges 15/30 for a service starting on 2026-11-16', () => {
    expect(prorate(150_000, nov.start, nov.end, '2026-11-16')).toBe(75_000);
    expect(computeProration(150_000, nov, '2026-11-16')).toEqual({
      amount: 75_000,
      fullAmount: 150_000,
      billableDays: 15,
      daysInPeriod: 30,
      full: false,
      from: '2026-11-16',
      to: '2026-11-30',
    });
  });

  it('charges a full month for a start on the 1st and for every month in between', () => {
    expect(prorate(150_000, nov.start, nov.end, '2026-11-01')).toBe(150_000);
    expect(computeProration(150_000, dec, '2026-11-16')).toMatchObject({ amount: 150_000, full: true, billableDays: 31 });
    expect(prorate(480_000, dec.start, dec.end, '2025-04-01', '2027-03-31')).toBe(480_000);
  });

  it('charges through the end date when terminated mid-month', () => {
    // 2026-11-01..2026-11-10 = 10 days of 30.
    expect(prorate(150_000, nov.start, nov.end, '2025-04-01', '2026-11-10')).toBe(50_000);
    // Ending on the last day is a full month.
    expect(prorate(150_000, nov.start, nov.end, '2025-04-01', '2026-11-30')).toBe(150_000);
    // Starting and ending in the same month: 10th..19th.
    expect(computeProration(150_000, nov, '2026-11-10', '2026-11-19')).toMatchObject({ billableDays: 10, amount: 50_000 });
  });

  it('rounds down to the whole yen', () => {
    // 100,000 x 15/31 = 48,387.09...
    expect(prorate(100_000, dec.start, dec.end, '2026-12-17')).toBe(48_387);
    // 150,000 x 10/31 = 48,387.09...; 1,500 x 1/30 = 50.
    expect(prorate(150_000, dec.start, dec.end, '2025-01-01', '2026-12-10')).toBe(48_387);
    expect(prorate(1_500, nov.start, nov.end, '2026-11-30')).toBe(50);
  });

  it('counts an instant on its Tokyo date, late evening or just after midnight', () => {
    // 2026-11-15 23:30 JST (14:30 UTC): the 15th, 16 days.
    expect(prorate(150_000, nov.start, nov.end, new Date('2026-11-15T14:30:00Z'))).toBe(80_000);
    // 2026-11-16 00:30 JST is 2026-11-15 15:30 UTC: still the 16th, 15 days.
    expect(prorate(150_000, nov.start, nov.end, new Date('2026-11-15T15:30:00Z'))).toBe(75_000);
    // Terminated at 2026-11-10 23:59 JST: through the 10th.
    expect(prorate(150_000, nov.start, nov.end, '2026-01-01', new Date('2026-11-10T14:59:00Z'))).toBe(50_000);
  });

  it('charges nothing outside the service', () => {
    expect(prorate(150_000, nov.start, nov.end, '2026-12-01')).toBe(0);
    expect(prorate(150_000, dec.start, dec.end, '2026-01-01', '2026-11-30')).toBe(0);
    expect(computeProration(150_000, dec, '2027-01-01')).toMatchObject({ billableDays: 0, from: null, to: null });
  });

  it('uses 29 days for February 2028', () => {
    const feb = parseBillingPeriod('2028-02');
    expect(computeProration(290_000, feb, '2028-02-21')).toMatchObject({ billableDays: 9, daysInPeriod: 29, amount: 90_000 });
  });

  it('refuses an end before the start, a negative or fractional amount, and period bounds that are not JST midnights', () => {
    expect(() => prorate(150_000, nov.start, nov.end, '2026-11-20', '2026-11-19')).toThrow(expect.objectContaining({ code: ContractsError.Code.BAD_INPUT, field: 'serviceEnd' }));
    expect(() => prorate(-1, nov.start, nov.end, '2026-11-01')).toThrow(expect.objectContaining({ field: 'amount' }));
    expect(() => prorate(100.5, nov.start, nov.end, '2026-11-01')).toThrow(expect.objectContaining({ field: 'amount' }));
    expect(() => prorate(1, new Date('2026-11-01T00:00:00Z'), nov.end, '2026-11-01')).toThrow(expect.objectContaining({ field: 'periodStart' }));
    expect(() => prorate(1, nov.start, nov.end, '2026-11-31')).toThrow(expect.objectContaining({ field: 'serviceStart' }));
  });

  it('never charges more than a month when a service ends one day and the next starts the day after', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 30 }), (amount, lastDayOfOld) => {
        const end = addDays('2026-10-31', lastDayOfOld); // 2026-11-01 .. 2026-11-30
        const before = prorate(amount, nov.start, nov.end, '2026-01-01', end);
        const after = prorate(amount, nov.start, nov.end, addDays(end, 1));
        expect(before + after).toBeLessThanOrEqual(amount);
        expect(before + after).toBeGreaterThanOrEqual(amount - 1);
        expect(Number.isInteger(before) && Number.isInteger(after)).toBe(true);
      }),
    );
  });
});
