// The business calendar: Tokyo dates and instants, Japanese public holidays, the provider's
// year-end closure and business hours (9:00-17:30 Asia/Tokyo). Pure code, no Nest.
export {
  TOKYO_OFFSET_MS,
  addDays,
  atTokyoTime,
  dayOfWeek,
  daysInMonth,
  epochDay,
  formatCalendarDate,
  fromEpochDay,
  isCalendarDate,
  toTokyoDate,
  tokyoMidnight,
  tokyoTimeOfDayMs,
} from './tokyo-date';
export type { CalendarDate, DateLike } from './tokyo-date';
export { HOLIDAY_YEARS, japaneseHoliday } from './japanese-holidays';
export type { JapaneseHoliday } from './japanese-holidays';
export { DEFAULT_YEAR_END_CLOSURE, formatYearEndClosure, parseYearEndClosure, yearEndClosureSetting } from './year-end-closure';
export type { MonthDay, YearEndClosure } from './year-end-closure';
export { BUSINESS_HOURS, BusinessCalendar } from './business-calendar';
export type { BusinessCalendarOptions, DayOff } from './business-calendar';
export { CalendarError, HolidayDataMissingError } from './calendar.errors';
export { Clock, SystemClock, ManualClock } from './clock';
