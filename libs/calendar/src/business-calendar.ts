import { CalendarError } from './calendar.errors';
import { japaneseHoliday } from './japanese-holidays';
import { addDays, atTokyoTime, CalendarDate, DateLike, dayOfWeek, toTokyoDate, tokyoTimeOfDayMs } from './tokyo-date';
import { DEFAULT_YEAR_END_CLOSURE, inYearEndClosure, YearEndClosure, yearEndClosureProblem } from './year-end-closure';

// Business hours, Asia/Tokyo: 9:00 (inclusive) to 17:30 (exclusive) on business days.
export const BUSINESS_HOURS = Object.freeze({ opens: { hour: 9, minute: 0 }, closes: { hour: 17, minute: 30 } });
const OPENS_MS = (BUSINESS_HOURS.opens.hour * 60 + BUSINESS_HOURS.opens.minute) * 60_000;
const CLOSES_MS = (BUSINESS_HOURS.closes.hour * 60 + BUSINESS_HOURS.closes.minute) * 60_000;

// No run of closed days is this long (a closure is at most 31 days); past it something is wrong.
const MAX_CLOSED_RUN = 60;

export interface BusinessCalendarOptions {
  // The provider's year-end closure; null for none. Default: 12-29..01-03.
  yearEndClosure?: YearEndClosure | null;
}

// Why a day is not a business day.
export type DayOff = { reason: 'WEEKEND' } | { reason: 'HOLIDAY'; name: string; nameEn: string } | { reason: 'YEAR_END_CLOSURE' };

// The provider's business days and hours: weekdays that are neither a Japanese public holiday nor
// in the year-end closure, 9:00-17:30 Asia/Tokyo. Dates are JST calendar dates; an instant counts
// on its JST date. Every method throws HolidayDataMissingError for a year without holiday data.
export class BusinessCalendar {
  readonly yearEndClosure: YearEndClosure | null;

  constructor(options: BusinessCalendarOptions = {}) {
    const closure = options.yearEndClosure === undefined ? DEFAULT_YEAR_END_CLOSURE : options.yearEndClosure;
    const problem = closure && yearEndClosureProblem(closure);
    if (problem) throw new RangeError(`BusinessCalendar: bad yearEndClosure: ${problem}`);
    this.yearEndClosure = closure ? Object.freeze({ ...closure }) : null;
  }

  // Why `date` is not a business day, or null when it is one.
  dayOff(date: DateLike): DayOff | null {
    const day = toTokyoDate(date, 'date');
    // Asked first so that a year without data fails even on a Sunday.
    const holiday = japaneseHoliday(day);
    const weekday = dayOfWeek(day);
    if (weekday === 0 || weekday === 6) return { reason: 'WEEKEND' };
    if (holiday) return { reason: 'HOLIDAY', name: holiday.name, nameEn: holiday.nameEn };
    if (this.yearEndClosure && inYearEndClosure(this.yearEndClosure, Number(day.slice(5, 7)), Number(day.slice(8, 10)))) {
      return { reason: 'YEAR_END_CLOSURE' };
    }
    return null;
  }

  isBusinessDay(date: DateLike): boolean {
    return this.dayOff(date) === null;
  }

  // The first business day after `date` (never `date` itself).
  nextBusinessDay(date: DateLike): CalendarDate {
    return this.step(toTokyoDate(date, 'date'), 1);
  }

  // The first business day before `date` (never `date` itself).
  previousBusinessDay(date: DateLike): CalendarDate {
    return this.step(toTokyoDate(date, 'date'), -1);
  }

  // `days` business days after `date` (before it when negative); `date` itself does not count,
  // so adding 1 to a Friday gives the next business day. Adding 0 returns `date` unchanged.
  addBusinessDays(date: DateLike, days: number): CalendarDate {
    if (!Number.isSafeInteger(days)) throw new CalendarError('BAD_INPUT', `days must be a whole number, got ${days}`, 'days');
    let day = toTokyoDate(date, 'date');
    for (let i = 0; i < Math.abs(days); i++) day = this.step(day, Math.sign(days));
    return day;
  }

  // Whether an instant falls in business hours: a business day, 9:00 <= JST time < 17:30.
  isWithinBusinessHours(instant: Date): boolean {
    const time = tokyoTimeOfDayMs(this.instant(instant));
    return time >= OPENS_MS && time < CLOSES_MS && this.isBusinessDay(instant);
  }

  // 9:00 JST of a business day, as an instant; throws BAD_INPUT for a day that is not one.
  opensAt(date: DateLike): Date {
    const { opens } = BUSINESS_HOURS;
    return atTokyoTime(this.businessDayOrThrow(date), opens.hour, opens.minute);
  }

  // 17:30 JST of a business day, as an instant; throws BAD_INPUT for a day that is not one.
  closesAt(date: DateLike): Date {
    const { closes } = BUSINESS_HOURS;
    return atTokyoTime(this.businessDayOrThrow(date), closes.hour, closes.minute);
  }

  // 17:30 JST of the first business day after the instant's JST date ("by the end of the next
  // business day"): Friday 10:00 -> Monday 17:30, or later when Monday is a holiday.
  endOfNextBusinessDay(instant: Date): Date {
    return this.closesAt(this.nextBusinessDay(this.instant(instant)));
  }

  // The instant itself when it is within business hours, else the next 9:00 of a business day.
  nextBusinessHoursStart(instant: Date): Date {
    const at = this.instant(instant);
    if (this.isWithinBusinessHours(at)) return at;
    const today = toTokyoDate(at, 'instant');
    if (tokyoTimeOfDayMs(at) < OPENS_MS && this.isBusinessDay(today)) return this.opensAt(today);
    return this.opensAt(this.nextBusinessDay(today));
  }

  private step(from: CalendarDate, direction: number): CalendarDate {
    let day = from;
    for (let i = 0; i < MAX_CLOSED_RUN; i++) {
      day = addDays(day, direction);
      if (this.isBusinessDay(day)) return day;
    }
    throw new Error(`BusinessCalendar: no business day within ${MAX_CLOSED_RUN} days of ${from}`);
  }

  private businessDayOrThrow(date: DateLike): CalendarDate {
    const day = toTokyoDate(date, 'date');
    if (!this.isBusinessDay(day)) throw new CalendarError('BAD_INPUT', `${day} is not a business day`, 'date');
    return day;
  }

  private instant(value: Date): Date {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new CalendarError('BAD_INPUT', 'instant is not a valid date', 'instant');
    return value;
  }
}
