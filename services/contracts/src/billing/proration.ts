// Proration of monthly fees (日割り計算).
//
// Rule:
// - A billing period is a calendar month in Asia/Tokyo. Days are JST calendar dates, counted
//   inclusively: a service running 2026-11-16..2026-11-30 has 15 billable days.
// - A month in which the service runs every day is charged in full.
// - In the first month the service is billable from its start date (the start day counts).
// - In the last month it is billable through its end date (the end day counts).
// - A partial month is charged floor(monthly fee x billable days / days in the month): rounded
//   down to the whole yen, so the customer never pays more than the exact pro rata share.
// - An instant is placed on its JST date: 2026-11-16 00:30 JST (2026-11-15 15:30 UTC) is the 16th.
// The arithmetic is done in BigInt, so no float ever touches an amount.
import { CalendarDate, DateLike, epochDay, fromEpochDay, toTokyoDate, tokyoTimeOfDayMs } from '@kanshi/calendar';
import { ContractsError } from '../contracts.errors';

export interface Proration {
  // The amount to charge for the period.
  amount: number;
  // The undiscounted monthly amount it was derived from.
  fullAmount: number;
  billableDays: number;
  daysInPeriod: number;
  // true when every day of the period is billable (the amount is the full amount).
  full: boolean;
  // The first and last billable JST dates inside the period; null when none.
  from: CalendarDate | null;
  to: CalendarDate | null;
}

export interface ProrationPeriod {
  start: Date;
  // Exclusive.
  end: Date;
}

// floor(amount x billableDays / daysInPeriod), per the rule at the top of this file.
// periodStart/periodEnd are 00:00 JST instants, periodEnd exclusive (a BillingPeriod's start/end).
export function prorate(
  amount: number,
  periodStart: Date,
  periodEnd: Date,
  serviceStart: DateLike,
  serviceEnd?: DateLike | null,
): number {
  return computeProration(amount, { start: periodStart, end: periodEnd }, serviceStart, serviceEnd).amount;
}

export function computeProration(
  amount: number,
  period: ProrationPeriod,
  serviceStart: DateLike,
  serviceEnd?: DateLike | null,
): Proration {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new ContractsError('BAD_INPUT', 'the amount to prorate must be a non-negative whole number of yen', 'amount');
  }
  const periodFirst = epochDay(jstMidnightDate(period.start, 'periodStart'));
  const periodAfterLast = epochDay(jstMidnightDate(period.end, 'periodEnd'));
  const daysInPeriod = periodAfterLast - periodFirst;
  if (daysInPeriod < 1) throw new ContractsError('BAD_INPUT', 'the period must end after it starts', 'periodEnd');

  const start = epochDay(toTokyoDate(serviceStart, 'serviceStart'));
  const end = serviceEnd == null ? null : epochDay(toTokyoDate(serviceEnd, 'serviceEnd'));
  if (end !== null && end < start) {
    throw new ContractsError('BAD_INPUT', 'the service cannot end before it starts', 'serviceEnd');
  }

  const first = Math.max(periodFirst, start);
  const last = Math.min(periodAfterLast - 1, end ?? Number.POSITIVE_INFINITY);
  const billableDays = Math.max(0, last - first + 1);
  const full = billableDays === daysInPeriod;
  const prorated = full ? amount : Number((BigInt(amount) * BigInt(billableDays)) / BigInt(daysInPeriod));

  return {
    amount: prorated,
    fullAmount: amount,
    billableDays,
    daysInPeriod,
    full,
    from: billableDays > 0 ? fromEpochDay(first) : null,
    to: billableDays > 0 ? fromEpochDay(last) : null,
  };
}

// Period bounds must be JST midnights; anything else is a caller bug worth surfacing.
function jstMidnightDate(instant: Date, field: string): CalendarDate {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new ContractsError('BAD_INPUT', `${field} must be a valid instant`, field);
  }
  if (tokyoTimeOfDayMs(instant) !== 0) {
    throw new ContractsError('BAD_INPUT', `${field} must be 00:00 Asia/Tokyo`, field);
  }
  return toTokyoDate(instant, field);
}
