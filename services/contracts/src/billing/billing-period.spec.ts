import { ContractsError } from '../contracts.errors';
import { billingPeriodOf, nextBillingPeriod, parseBillingPeriod, previousBillingPeriod } from './billing-period';

describe('billing periods', () => {
  it('is the Tokyo calendar month: from 00:00 JST on the 1st to 00:00 JST on the next 1st', () => {
    const p = parseBillingPeriod('2026-11');
    expect(p.start.toISOString()).toBe('2026-10-31T15:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-11-30T15:00:00.000Z');
    expect(p.days).toBe(30);
    expect(p.firstDay).toBe('2026-11-01');
    expect(p.closingDate).toBe('2026-11-30');
    expect(p.dueDate).toBe('2026-12-31');
  });

  it('closes December on the 31st and is due at the end of January of the next year', () => {
    const p = parseBillingPeriod('2026-12');
    expect(p.days).toBe(31);
    expect(p.closingDate).toBe('2026-12-31');
    expect(p.dueDate).toBe('2027-01-31');
    expect(p.end.toISOString()).toBe('2026-12-31T15:00:00.000Z');
  });

  it('knows February, leap years included', () => {
    expect(parseBillingPeriod('2027-01').dueDate).toBe('2027-02-28');
    expect(parseBillingPeriod('2028-01').dueDate).toBe('2028-02-29');
    expect(parseBillingPeriod('2028-02')).toMatchObject({ days: 29, closingDate: '2028-02-29', dueDate: '2028-03-31' });
    expect(parseBillingPeriod('2100-02').days).toBe(28);
  });

  it('can be due a number of days after closing instead', () => {
    expect(parseBillingPeriod('2026-12', { dueInDays: 30 }).dueDate).toBe('2027-01-30');
    expect(parseBillingPeriod('2026-11', { dueInDays: 0 }).dueDate).toBe('2026-11-30');
    expect(() => parseBillingPeriod('2026-11', { dueInDays: -1 })).toThrow(expect.objectContaining({ field: 'dueInDays' }));
  });

  it.each(['2026-13', '2026-00', '2026-1', '26-11', '2026/11', '2026-11-01', '', ' 2026-11'])('rejects %j naming the field period', (value) => {
    expect(() => parseBillingPeriod(value)).toThrow(expect.objectContaining({ code: ContractsError.Code.BAD_INPUT, field: 'period' }));
  });

  it('places an instant in the month of its Tokyo date', () => {
    // 2026-12-01 00:30 JST is still November in UTC.
    expect(billingPeriodOf(new Date('2026-11-30T15:30:00Z'))).toBe('2026-12');
    expect(billingPeriodOf(new Date('2026-11-30T14:59:59Z'))).toBe('2026-11');
    expect(billingPeriodOf('2026-11-16')).toBe('2026-11');
  });

  it('steps across the year end', () => {
    expect(nextBillingPeriod('2026-12')).toBe('2027-01');
    expect(previousBillingPeriod('2027-01')).toBe('2026-12');
    expect(nextBillingPeriod('2026-09')).toBe('2026-10');
  });
});
