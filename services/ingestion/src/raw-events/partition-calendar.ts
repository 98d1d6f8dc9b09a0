// Month arithmetic for raw-event partitions, in UTC: a partition holds the events received in one
// UTC calendar month, and a retention class of N months keeps every event at least N months.

export interface MonthPartition {
  name: string;
  retentionMonths: number;
  // first instant of the month (inclusive) and of the next one (exclusive)
  from: Date;
  to: Date;
}

export function monthStart(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

export function addMonths(d: Date, months: number): Date {
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  // the same day of month, or the last day when the target month is shorter (31 Mar - 1 = 28/29 Feb)
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()),
  );
}

export function classTableName(retentionMonths: number): string {
  assertRetention(retentionMonths);
  return `raw_event_r${retentionMonths}`;
}

export function monthPartition(retentionMonths: number, anyInstantOfMonth: Date): MonthPartition {
  const from = monthStart(anyInstantOfMonth);
  const to = monthStart(addMonths(from, 1));
  const ym = `${from.getUTCFullYear()}${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  return { name: `${classTableName(retentionMonths)}_${ym}`, retentionMonths, from, to };
}

// Reads a partition back from its table name (null for anything else).
export function parsePartitionName(name: string): MonthPartition | null {
  const m = /^raw_event_r(\d{1,3})_(\d{4})(\d{2})$/.exec(name);
  if (!m) return null;
  const month = Number(m[3]);
  if (month < 1 || month > 12) return null;
  return monthPartition(Number(m[1]), new Date(Date.UTC(Number(m[2]), month - 1, 1)));
}

// A partition may go once its newest possible event is older than its retention: everything in
// it was received before `now - N months`.
export function isExpired(p: MonthPartition, now: Date): boolean {
  return p.to.getTime() <= addMonths(now, -p.retentionMonths).getTime();
}

// The months that must exist for intake: this one and `ahead` more.
export function monthsAhead(now: Date, ahead: number): Date[] {
  const first = monthStart(now);
  return Array.from({ length: ahead + 1 }, (_, i) => monthStart(addMonths(first, i)));
}

export function assertRetention(months: number): void {
  if (!Number.isInteger(months) || months < 1 || months > 120) throw new RangeError(`retention of ${months} months is outside 1-120`);
}
