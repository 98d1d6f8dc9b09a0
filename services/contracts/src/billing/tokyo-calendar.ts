import { ContractsError } from '../contracts.errors';

// Billing reasons in Asia/Tokyo calendar dates. Japan has had no daylight saving time since 1951,
// so JST is a fixed UTC+9 offset and plain arithmetic is exact (no tz database needed).
export const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

// A calendar date in Asia/Tokyo, 'YYYY-MM-DD' (what PostgreSQL `date` columns hold).
export type CalendarDate = string;

// A contract or service date: a calendar date string (taken as a JST date) or an instant (its
// JST date is used, so 2026-11-16 00:30 JST counts as the 16th although it is the 15th in UTC).
export type DateLike = CalendarDate | Date;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const m = CALENDAR_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  // Years before 1900 are refused: Date.UTC maps years 0-99 to 1900-1999.
  return year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// The JST calendar date of a DateLike; throws BAD_INPUT naming `field` when it is not a date.
export function toTokyoDate(value: DateLike, field: string): CalendarDate {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ContractsError('BAD_INPUT', `${field} is not a valid date`, field);
    return formatUtcFields(new Date(ms + TOKYO_OFFSET_MS));
  }
  if (!isCalendarDate(value)) {
    throw new ContractsError('BAD_INPUT', `${field} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`, field);
  }
  return value;
}

// Days since 1970-01-01 of a calendar date; differences of epoch days count calendar days.
export function epochDay(date: CalendarDate): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function fromEpochDay(day: number): CalendarDate {
  return formatUtcFields(new Date(day * DAY_MS));
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromEpochDay(epochDay(date) + days);
}

// 00:00 JST of a calendar date, as the UTC instant it is.
export function tokyoMidnight(date: CalendarDate): Date {
  return new Date(epochDay(date) * DAY_MS - TOKYO_OFFSET_MS);
}

export function formatCalendarDate(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function formatUtcFields(d: Date): CalendarDate {
  return formatCalendarDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
