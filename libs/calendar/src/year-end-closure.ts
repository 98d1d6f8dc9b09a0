import type { Field } from '@kanshi/config';
import { daysInMonth, epochDay, formatCalendarDate } from './tokyo-date';

// The provider's year-end closure (年末年始休業): days every year, first and last inclusive, that are
// not business days whatever the weekday. It may wrap the new year ('12-29' to '01-03').
export interface YearEndClosure {
  from: MonthDay;
  to: MonthDay;
}

// 'MM-DD', e.g. '12-29'.
export type MonthDay = string;

// December 29 to January 3: the closure most Japanese companies (and government offices) keep.
export const DEFAULT_YEAR_END_CLOSURE: YearEndClosure = Object.freeze({ from: '12-29', to: '01-03' });

// A closure longer than this is a typo (e.g. the dates swapped), not a holiday.
const MAX_CLOSURE_DAYS = 31;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const FORMAT = 'MM-DD..MM-DD (e.g. 12-29..01-03) or "none"';

// Why a closure is refused, or undefined when it is valid.
export function yearEndClosureProblem(closure: YearEndClosure): string | undefined {
  const from = monthDayNumber(closure.from);
  const to = monthDayNumber(closure.to);
  if (from === undefined) return `${JSON.stringify(closure.from)} is not a month and day MM-DD`;
  if (to === undefined) return `${JSON.stringify(closure.to)} is not a month and day MM-DD`;
  // Measured in a leap year so that 02-29 counts; a closure that wraps ends in the next year.
  const start = epochDay(formatCalendarDate(2000, Math.floor(from / 100), from % 100));
  const end = epochDay(formatCalendarDate(to >= from ? 2000 : 2001, Math.floor(to / 100), to % 100));
  const days = end - start + 1;
  if (days > MAX_CLOSURE_DAYS) return `${closure.from}..${closure.to} is ${days} days long; a closure is at most ${MAX_CLOSURE_DAYS} days`;
  return undefined;
}

// 'MM-DD..MM-DD' or 'none' (no closure). Throws an Error saying what is expected.
export function parseYearEndClosure(text: string): YearEndClosure | null {
  const value = text.trim();
  if (value.toLowerCase() === 'none') return null;
  const parts = value.split('..');
  if (parts.length !== 2) throw new Error(`must be ${FORMAT} (got "${text}")`);
  const closure = { from: parts[0].trim(), to: parts[1].trim() };
  const problem = yearEndClosureProblem(closure);
  if (problem) throw new Error(`must be ${FORMAT}: ${problem}`);
  return closure;
}

export function formatYearEndClosure(closure: YearEndClosure | null): string {
  return closure ? `${closure.from}..${closure.to}` : 'none';
}

// For a service's config schema: `YEAR_END_CLOSURE: yearEndClosureSetting()`. Unset means the
// default (12-29..01-03); a bad value stops the boot with an error naming the variable.
export function yearEndClosureSetting(defaultClosure: YearEndClosure | null = DEFAULT_YEAR_END_CLOSURE): Field<YearEndClosure | null> {
  return {
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return defaultClosure;
      return parseYearEndClosure(raw);
    },
  };
}

// Whether month*100+day falls in the closure.
export function inYearEndClosure(closure: YearEndClosure, month: number, day: number): boolean {
  const md = month * 100 + day;
  const from = monthDayNumber(closure.from)!;
  const to = monthDayNumber(closure.to)!;
  return from <= to ? md >= from && md <= to : md >= from || md <= to;
}

function monthDayNumber(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = MONTH_DAY.exec(value);
  if (!m) return undefined;
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) return undefined;
  return month * 100 + day;
}
