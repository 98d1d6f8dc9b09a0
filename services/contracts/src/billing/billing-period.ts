import {
  addDays,
  CalendarDate,
  DateLike,
  daysInMonth,
  formatCalendarDate,
  toTokyoDate,
  tokyoMidnight,
} from '@kanshi/calendar';
import { ContractsError } from '../contracts.errors';

// A billing period is one calendar month in Asia/Tokyo, written 'YYYY-MM' (e.g. '2026-11').
// Invoices close on the last day of the month (月末締め). Payment is due at the end of the
// following month (翌月末払い) unless a payment term in days after closing is configured.
export interface BillingPeriod {
  period: string;
  year: number;
  month: number;
  // 00:00 JST on the 1st, as a UTC instant (2026-11 starts 2026-10-31T15:00:00Z).
  start: Date;
  // Exclusive: 00:00 JST on the 1st of the next month.
  end: Date;
  days: number;
  firstDay: CalendarDate;
  // The last day of the month (締日), a JST calendar date.
  closingDate: CalendarDate;
  dueDate: CalendarDate;
}

export interface BillingPeriodOptions {
  // Due this many days after the closing date instead of at the end of the next month.
  dueInDays?: number;
}

const PERIOD = /^(\d{4})-(\d{2})$/;

export function parseBillingPeriod(period: string, options: BillingPeriodOptions = {}): BillingPeriod {
  const m = typeof period === 'string' ? PERIOD.exec(period) : null;
  const year = m ? Number(m[1]) : NaN;
  const month = m ? Number(m[2]) : NaN;
  if (!m || year < 1900 || month < 1 || month > 12) {
    throw new ContractsError('BAD_INPUT', `period must be a month written YYYY-MM (e.g. 2026-11), got ${JSON.stringify(period)}`, 'period');
  }
  const { dueInDays } = options;
  if (dueInDays !== undefined && (!Number.isSafeInteger(dueInDays) || dueInDays < 0 || dueInDays > 366)) {
    throw new ContractsError('BAD_INPUT', 'dueInDays must be a whole number of days between 0 and 366', 'dueInDays');
  }

  const days = daysInMonth(year, month);
  const firstDay = formatCalendarDate(year, month, 1);
  const closingDate = formatCalendarDate(year, month, days);
  const next = nextMonth(year, month);
  const dueDate =
    dueInDays === undefined
      ? formatCalendarDate(next.year, next.month, daysInMonth(next.year, next.month))
      : addDays(closingDate, dueInDays);

  return {
    period: formatBillingPeriod(year, month),
    year,
    month,
    start: tokyoMidnight(firstDay),
    end: tokyoMidnight(formatCalendarDate(next.year, next.month, 1)),
    days,
    firstDay,
    closingDate,
    dueDate,
  };
}

export function formatBillingPeriod(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

// The billing period containing a date (an instant is placed on its JST date).
export function billingPeriodOf(date: DateLike, field = 'date'): string {
  return toTokyoDate(date, field).slice(0, 7);
}

export function nextBillingPeriod(period: string): string {
  const { year, month } = parseBillingPeriod(period);
  const next = nextMonth(year, month);
  return formatBillingPeriod(next.year, next.month);
}

export function previousBillingPeriod(period: string): string {
  const { year, month } = parseBillingPeriod(period);
  return month === 1 ? formatBillingPeriod(year - 1, 12) : formatBillingPeriod(year, month - 1);
}

function nextMonth(year: number, month: number): { year: number; month: number } {
  return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
}
