import { closedMonthBefore } from './monthly-billing.service';

describe('the month the scheduled billing run bills', () => {
  it('is the month before today in Tokyo, across a year end', () => {
    expect(closedMonthBefore('2026-04-01')).toBe('2026-03');
    expect(closedMonthBefore('2026-12-31')).toBe('2026-11');
    expect(closedMonthBefore('2027-01-01')).toBe('2026-12');
  });
});
