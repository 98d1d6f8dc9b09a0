import { addDays, atTokyoTime, dayOfWeek, isCalendarDate, toTokyoDate, tokyoMidnight, tokyoTimeOfDayMs } from './tokyo-date';

describe('Tokyo dates', () => {
  it('places an instant on its JST date, nine hours ahead of UTC all year', () => {
    expect(toTokyoDate(new Date('2026-11-15T14:59:59.999Z'), 'at')).toBe('2026-11-15');
    expect(toTokyoDate(new Date('2026-11-15T15:00:00Z'), 'at')).toBe('2026-11-16');
    expect(toTokyoDate(new Date('2026-06-30T15:00:00Z'), 'at')).toBe('2026-07-01');
    expect(tokyoMidnight('2026-11-16').toISOString()).toBe('2026-11-15T15:00:00.000Z');
    expect(atTokyoTime('2026-11-16', 17, 30).toISOString()).toBe('2026-11-16T08:30:00.000Z');
    expect(tokyoTimeOfDayMs(new Date('2026-11-15T15:00:00Z'))).toBe(0);
    expect(tokyoTimeOfDayMs(new Date('2026-11-16T08:30:00Z'))).toBe((17 * 60 + 30) * 60_000);
    expect(tokyoTimeOfDayMs(new Date('1969-12-31T14:59:59.999Z'))).toBe(24 * 3600_000 - 1); // before the epoch too
  });

  it('refuses what is not a date, naming the field', () => {
    expect(() => toTokyoDate('2026-02-29', 'startDate')).toThrow(expect.objectContaining({ code: 'BAD_INPUT', kind: 'BAD_USER_INPUT', field: 'startDate' }));
    expect(() => toTokyoDate(new Date('nope'), 'now')).toThrow('now is not a valid date');
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('0099-01-01')).toBe(false);
  });

  it('counts days and weekdays across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(dayOfWeek('2026-11-08')).toBe(0); // Sunday
    expect(dayOfWeek('2026-11-07')).toBe(6);
    expect(dayOfWeek('1969-12-31')).toBe(3);
  });
});
