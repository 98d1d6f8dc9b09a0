import holidayJp from '@holiday-jp/holiday_jp';
import { HolidayDataMissingError } from './calendar.errors';
import { CalendarDate } from './tokyo-date';

// Japanese public holidays (国民の祝日, substitute holidays 振替休日 and citizens' holidays 国民の休日)
// from @holiday-jp/holiday_jp, keyed by JST date. Its data is a fixed range of years (1970-2050 in
// 2.5.1); a date outside it throws instead of passing for a day with no holiday.
export interface JapaneseHoliday {
  date: CalendarDate;
  name: string;
  nameEn: string;
}

const BY_DATE: ReadonlyMap<CalendarDate, JapaneseHoliday> = new Map(
  Object.values(holidayJp.holidays).map((h) => [h.date, { date: h.date, name: h.name, nameEn: h.name_en }]),
);

const YEARS = [...BY_DATE.keys()].map((date) => Number(date.slice(0, 4)));

// The years the holiday data covers, inclusive.
export const HOLIDAY_YEARS: Readonly<{ first: number; last: number }> = Object.freeze({ first: Math.min(...YEARS), last: Math.max(...YEARS) });

// The holiday on a JST date, or undefined on an ordinary day; throws HolidayDataMissingError for a
// year the data does not cover.
export function japaneseHoliday(date: CalendarDate): JapaneseHoliday | undefined {
  const year = Number(date.slice(0, 4));
  if (!(year >= HOLIDAY_YEARS.first && year <= HOLIDAY_YEARS.last)) throw new HolidayDataMissingError(year, HOLIDAY_YEARS);
  return BY_DATE.get(date);
}
