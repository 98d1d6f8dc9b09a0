import { parseConfig } from '@kanshi/config';
import { BusinessCalendar } from './business-calendar';
import { HolidayDataMissingError } from './calendar.errors';
import { HOLIDAY_YEARS } from './japanese-holidays';
import { parseYearEndClosure, yearEndClosureSetting } from './year-end-closure';

const calendar = new BusinessCalendar();
const jst = (local: string) => new Date(`${local}+09:00`);

describe('business days', () => {
  it.each([
    ['2026-11-03', 'National Culture Day'],
    ['2026-11-23', 'Labor Thanksgiving Day'],
    ['2026-02-23', "Emperor's Birthday"],
    ['2026-05-06', 'Holiday in lieu'], // Constitution Day fell on a Sunday
    ['2026-09-22', "Citizen's Holiday"], // between Respect for the Aged Day and the equinox
  ])('%s (%s) is a public holiday, not a business day', (date, nameEn) => {
    expect(calendar.isBusinessDay(date)).toBe(false);
    expect(calendar.dayOff(date)).toMatchObject({ reason: 'HOLIDAY', nameEn });
  });

  it('keeps every day of Golden Week 2026 closed, the substitute holiday included', () => {
    const week = ['2026-04-29', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', '2026-05-06'];
    expect(week.filter((d) => calendar.isBusinessDay(d))).toEqual([]);
    expect(['2026-04-30', '2026-05-01', '2026-05-07'].every((d) => calendar.isBusinessDay(d))).toBe(true);
  });

  it('closes Saturdays and Sundays and opens ordinary weekdays', () => {
    expect(calendar.dayOff('2026-11-07')).toEqual({ reason: 'WEEKEND' });
    expect(calendar.dayOff('2026-11-08')).toEqual({ reason: 'WEEKEND' });
    expect(calendar.isBusinessDay('2026-11-02')).toBe(true);
    expect(calendar.isBusinessDay('2026-11-06')).toBe(true);
  });

  it('closes December 29 to January 3 by default, whatever the weekday', () => {
    expect(calendar.isBusinessDay('2026-12-28')).toBe(true);
    for (const d of ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-02']) expect(calendar.dayOff(d)).not.toBeNull();
    expect(calendar.dayOff('2026-12-29')).toEqual({ reason: 'YEAR_END_CLOSURE' });
    expect(calendar.dayOff('2027-01-01')).toMatchObject({ reason: 'HOLIDAY' });
    expect(calendar.isBusinessDay('2027-01-04')).toBe(true);
  });

  it('takes a custom closure, or none', () => {
    const longer = new BusinessCalendar({ yearEndClosure: { from: '12-26', to: '01-05' } });
    expect(longer.isBusinessDay('2026-12-28')).toBe(false);
    expect(longer.isBusinessDay('2027-01-05')).toBe(false);
    expect(longer.nextBusinessDay('2026-12-25')).toBe('2027-01-06');
    const open = new BusinessCalendar({ yearEndClosure: null });
    expect(open.isBusinessDay('2026-12-29')).toBe(true);
    expect(open.isBusinessDay('2026-12-31')).toBe(true);
    expect(open.isBusinessDay('2027-01-01')).toBe(false);
    const inside = new BusinessCalendar({ yearEndClosure: { from: '12-30', to: '12-31' } });
    expect(inside.isBusinessDay('2026-12-29')).toBe(true);
    expect(inside.isBusinessDay('2026-12-30')).toBe(false);
  });

  it('refuses a closure that is not one', () => {
    expect(() => new BusinessCalendar({ yearEndClosure: { from: '12-32', to: '01-03' } })).toThrow('"12-32" is not a month and day MM-DD');
    expect(() => new BusinessCalendar({ yearEndClosure: { from: '01-03', to: '12-29' } })).toThrow('is at most 31 days');
  });

  it('places an instant on its Tokyo date, so the hours around UTC midnight count for the right day', () => {
    expect(calendar.isBusinessDay(new Date('2026-11-02T14:59:59.999Z'))).toBe(true); // Mon 23:59 JST
    expect(calendar.isBusinessDay(new Date('2026-11-02T15:00:00.000Z'))).toBe(false); // Tue 3 Nov 00:00 JST, Culture Day
    expect(calendar.isBusinessDay(new Date('2026-11-03T14:59:59.999Z'))).toBe(false);
    expect(calendar.isBusinessDay(new Date('2026-11-03T15:00:00.000Z'))).toBe(true); // Wed 00:00 JST
    // Always nine hours, in summer as in winter: Japan has no daylight saving time.
    expect(calendar.isBusinessDay(new Date('2026-07-19T15:00:00Z'))).toBe(false); // Marine Day, 20 July
    expect(calendar.isBusinessDay(new Date('2026-07-20T15:00:00Z'))).toBe(true);
  });

  it('fails loudly for a year the holiday data does not cover', () => {
    expect(HOLIDAY_YEARS.first).toBeLessThanOrEqual(2000);
    expect(HOLIDAY_YEARS.last).toBeGreaterThanOrEqual(2030);
    const after = `${HOLIDAY_YEARS.last + 1}-01-05`;
    expect(() => calendar.isBusinessDay(after)).toThrow(HolidayDataMissingError);
    expect(() => calendar.isBusinessDay(after)).toThrow(`no Japanese public holiday data for ${HOLIDAY_YEARS.last + 1}`);
    // Even a Sunday: not "closed anyway" by luck.
    expect(() => calendar.isBusinessDay(`${HOLIDAY_YEARS.first - 1}-12-28`)).toThrow(HolidayDataMissingError);
    // Walking past the last covered year fails rather than skipping the missing holidays.
    expect(() => calendar.addBusinessDays(`${HOLIDAY_YEARS.last}-12-20`, 10)).toThrow(HolidayDataMissingError);
  });
});

describe('next business day and business-day arithmetic', () => {
  it('skips a weekend followed by a holiday', () => {
    expect(calendar.nextBusinessDay('2026-11-20')).toBe('2026-11-24'); // Fri -> (Sat, Sun, Labor Thanksgiving Mon) -> Tue
    expect(calendar.nextBusinessDay('2026-11-02')).toBe('2026-11-04');
    expect(calendar.nextBusinessDay('2026-05-01')).toBe('2026-05-07'); // Golden Week
    expect(calendar.nextBusinessDay('2026-09-18')).toBe('2026-09-24'); // Silver Week
  });

  it('skips the year-end closure and New Year holidays', () => {
    expect(calendar.nextBusinessDay('2026-12-28')).toBe('2027-01-04');
    expect(calendar.previousBusinessDay('2027-01-04')).toBe('2026-12-28');
  });

  it('adds and subtracts business days, the start day not counting', () => {
    expect(calendar.addBusinessDays('2026-11-20', 1)).toBe('2026-11-24');
    expect(calendar.addBusinessDays('2026-11-20', 3)).toBe('2026-11-26');
    expect(calendar.addBusinessDays('2026-11-24', -1)).toBe('2026-11-20');
    expect(calendar.addBusinessDays('2026-11-21', 0)).toBe('2026-11-21');
    expect(() => calendar.addBusinessDays('2026-11-21', 1.5)).toThrow(expect.objectContaining({ code: 'BAD_INPUT', field: 'days' }));
  });
});

describe('business hours, 9:00 to 17:30 Tokyo', () => {
  it('opens at 9:00 and closes at 17:30 sharp', () => {
    expect(calendar.isWithinBusinessHours(jst('2026-11-04T08:59:59.999'))).toBe(false);
    expect(calendar.isWithinBusinessHours(jst('2026-11-04T09:00:00'))).toBe(true);
    expect(calendar.isWithinBusinessHours(jst('2026-11-04T17:29:00'))).toBe(true);
    expect(calendar.isWithinBusinessHours(jst('2026-11-04T17:29:59.999'))).toBe(true);
    expect(calendar.isWithinBusinessHours(jst('2026-11-04T17:30:00'))).toBe(false);
    expect(calendar.isWithinBusinessHours(new Date('2026-11-04T08:29:00Z'))).toBe(true); // 17:29 JST
    expect(calendar.isWithinBusinessHours(new Date('2026-11-04T08:30:00Z'))).toBe(false); // 17:30 JST
  });

  it('is closed all day on a holiday, a weekend and in the closure', () => {
    expect(calendar.isWithinBusinessHours(jst('2026-11-03T10:00:00'))).toBe(false);
    expect(calendar.isWithinBusinessHours(jst('2026-11-07T10:00:00'))).toBe(false);
    expect(calendar.isWithinBusinessHours(jst('2026-12-30T10:00:00'))).toBe(false);
  });

  it('gives the opening and closing instants of a business day, and refuses other days', () => {
    expect(calendar.opensAt('2026-11-04').toISOString()).toBe('2026-11-04T00:00:00.000Z');
    expect(calendar.closesAt('2026-11-04').toISOString()).toBe('2026-11-04T08:30:00.000Z');
    expect(() => calendar.closesAt('2026-11-03')).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: '2026-11-03 is not a business day' }));
  });

  it('ends the next business day at 17:30 of the first business day after the instant’s Tokyo date', () => {
    expect(calendar.endOfNextBusinessDay(jst('2026-11-04T10:00:00'))).toEqual(jst('2026-11-05T17:30:00'));
    expect(calendar.endOfNextBusinessDay(jst('2026-11-20T10:00:00'))).toEqual(jst('2026-11-24T17:30:00'));
    expect(calendar.endOfNextBusinessDay(jst('2026-12-28T17:29:00'))).toEqual(jst('2027-01-04T17:30:00'));
    // Thursday 23:59 JST (14:59Z) is Thursday's; one minute later it is Friday's, and Monday is a holiday.
    expect(calendar.endOfNextBusinessDay(new Date('2026-11-19T14:59:00Z')).toISOString()).toBe('2026-11-20T08:30:00.000Z');
    expect(calendar.endOfNextBusinessDay(new Date('2026-11-19T15:00:00Z')).toISOString()).toBe('2026-11-24T08:30:00.000Z');
  });

  it('finds the next moment business hours are open', () => {
    expect(calendar.nextBusinessHoursStart(jst('2026-11-04T10:00:00'))).toEqual(jst('2026-11-04T10:00:00'));
    expect(calendar.nextBusinessHoursStart(jst('2026-11-04T07:00:00'))).toEqual(jst('2026-11-04T09:00:00'));
    expect(calendar.nextBusinessHoursStart(jst('2026-11-04T17:30:00'))).toEqual(jst('2026-11-05T09:00:00'));
    expect(calendar.nextBusinessHoursStart(jst('2026-11-21T12:00:00'))).toEqual(jst('2026-11-24T09:00:00'));
  });
});

describe('the year-end closure setting', () => {
  const schema = { YEAR_END_CLOSURE: yearEndClosureSetting() };

  it('defaults to December 29 - January 3 and parses MM-DD..MM-DD or none', () => {
    expect(parseConfig('incident', schema, {}).YEAR_END_CLOSURE).toEqual({ from: '12-29', to: '01-03' });
    expect(parseConfig('incident', schema, { YEAR_END_CLOSURE: '12-28..01-04' }).YEAR_END_CLOSURE).toEqual({ from: '12-28', to: '01-04' });
    expect(parseConfig('incident', schema, { YEAR_END_CLOSURE: 'none' }).YEAR_END_CLOSURE).toBeNull();
    expect(parseYearEndClosure(' 12-30 .. 01-02 ')).toEqual({ from: '12-30', to: '01-02' });
  });

  it('stops the boot naming the variable on a bad value', () => {
    expect(() => parseConfig('incident', schema, { YEAR_END_CLOSURE: '12/29-1/3' })).toThrow(
      'YEAR_END_CLOSURE must be MM-DD..MM-DD (e.g. 12-29..01-03) or "none" (got "12/29-1/3")',
    );
    expect(() => parseConfig('incident', schema, { YEAR_END_CLOSURE: '12-29..13-03' })).toThrow('YEAR_END_CLOSURE must be MM-DD..MM-DD');
    expect(() => parseConfig('incident', schema, { YEAR_END_CLOSURE: '01-03..12-29' })).toThrow('at most 31 days');
  });
});
