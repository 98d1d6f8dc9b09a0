// Time handling for device clocks: local wall-clock times are read in an IANA zone (DST-aware,
// via Intl), explicit offsets and zone names win, years missing from syslog-style stamps are
// inferred from the receive time. Every function returns a valid Date or null, never NaN.
import type { ParseContext } from './types';

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  try {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size < 512) formatters.set(timeZone, f);
    return f;
  } catch {
    return null;
  }
}

export function isValidTimeZone(timeZone: unknown): timeZone is string {
  return typeof timeZone === 'string' && timeZone.length > 0 && timeZone.length < 100 && formatter(timeZone) !== null;
}

/** Wall-clock time in `timeZone` at instant `utcMs`, expressed as if it were UTC. */
function wallClockMs(utcMs: number, timeZone: string): number {
  const f = formatter(timeZone);
  if (!f) return utcMs;
  const v: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') v[p.type] = Number(p.value);
  }
  const d = new Date(0);
  d.setUTCFullYear(v.year, v.month - 1, v.day);
  d.setUTCHours(v.hour, v.minute, v.second, ((utcMs % 1000) + 1000) % 1000);
  return d.getTime();
}

// formatToParts is slow (tens of microseconds) and every device time goes through it twice.
// Zone transitions fall on quarter hours in UTC, so the offset is cached per zone and quarter hour.
// One map per zone keyed by the quarter-hour number, so a hit builds no "zone|quarter" string.
const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_CACHED_OFFSETS = 4096;
const offsetCache = new Map<string, Map<number, number>>();
let cachedOffsets = 0;

function offsetMs(utcMs: number, timeZone: string): number {
  const quarter = Math.floor(utcMs / QUARTER_HOUR_MS);
  let zoneOffsets = offsetCache.get(timeZone);
  const cached = zoneOffsets?.get(quarter);
  if (cached !== undefined) return cached;
  const offset = wallClockMs(utcMs, timeZone) - utcMs;
  if (cachedOffsets >= MAX_CACHED_OFFSETS) {
    offsetCache.clear();
    cachedOffsets = 0;
    zoneOffsets = undefined;
  }
  if (!zoneOffsets) {
    zoneOffsets = new Map();
    offsetCache.set(timeZone, zoneOffsets);
  }
  zoneOffsets.set(quarter, offset);
  cachedOffsets++;
  return offset;
}

export type Zone = { offsetMs: number } | { timeZone: string };

export interface LocalFields {
  year: number;
  month: number; // 1-12
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

/** Calendar fields as if UTC, or null when a field is out of range (e.g. 30 February). */
function fieldsAsUtcMs(f: LocalFields): number | null {
  const { year, month, day } = f;
  const hour = f.hour ?? 0;
  const minute = f.minute ?? 0;
  const second = Math.min(f.second ?? 0, 59); // a leap second reads as :59
  const ms = f.millisecond ?? 0;
  const isInt = Number.isInteger;
  if (!(isInt(year) && isInt(month) && isInt(day) && isInt(hour) && isInt(minute) && isInt(second) && isInt(ms))) return null;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second < 0 || ms < 0 || ms > 999 || hour < 0 || minute < 0) return null;
  // Date.UTC reads years 0-99 as 19xx, but the year is at least MIN_YEAR here.
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Converts wall-clock fields in a zone to an instant. Times in a DST gap move forward. */
export function localToDate(f: LocalFields, zone: Zone): Date | null {
  const local = fieldsAsUtcMs(f);
  if (local === null) return null;
  if ('offsetMs' in zone) return valid(local - zone.offsetMs);
  if (!formatter(zone.timeZone)) return null;
  const o1 = offsetMs(local, zone.timeZone);
  let t = local - o1;
  const o2 = offsetMs(t, zone.timeZone);
  if (o2 !== o1) {
    const t2 = local - o2;
    if (offsetMs(t2, zone.timeZone) === o2) t = t2;
  }
  return valid(t);
}

function valid(ms: number): Date | null {
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  return Number.isNaN(d.getTime()) || y < MIN_YEAR - 1 || y > MAX_YEAR + 1 ? null : d;
}

const ABBREVIATIONS: Record<string, number> = {
  JST: 9, KST: 9, HKT: 8, SGT: 8, AWST: 8, ICT: 7, WIB: 7, IST: 5.5, AEST: 10, AEDT: 11, NZST: 12, NZDT: 13,
  CET: 1, CEST: 2, EET: 2, EEST: 3, WET: 0, WEST: 1, BST: 1,
  EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7, AKST: -9, HST: -10,
};

/**
 * A zone written next to a time: Z, UTC, GMT, +0900, +09:00, +09, GMT+9:00, UTC+09, (GMT+09:00),
 * JST and a few other common abbreviations, or an IANA name. `undefined` means "none or unknown":
 * the caller's default zone applies.
 */
export function zoneFromText(text: string | undefined): Zone | undefined {
  if (text === undefined) return undefined;
  let t = text.trim();
  const paren = /^\((.*)\)/.exec(t);
  if (paren) t = paren[1].trim();
  if (t === '') return undefined;
  if (/^(Z|UTC|GMT|UT)$/i.test(t)) return { offsetMs: 0 };
  const m = /^(?:UTC|GMT|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (m) {
    const h = Number(m[2]);
    const min = m[3] ? Number(m[3]) : 0;
    if (h > 14 || min > 59) return undefined;
    return { offsetMs: (m[1] === '-' ? -1 : 1) * (h * 60 + min) * 60000 };
  }
  const abbr = ABBREVIATIONS[t.toUpperCase()];
  if (abbr !== undefined && /^[A-Za-z]{2,5}$/.test(t)) return { offsetMs: abbr * 3600000 };
  if (t.includes('/') && isValidTimeZone(t)) return { timeZone: t };
  return undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?';
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?';

const ISO_RE = new RegExp(`^(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})(?:(?:T|\\s+|:)${TIME})?\\s*(.*)$`, 'i');
const MONTH_NAME_RE = new RegExp(
  `^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+)?${MONTH}\\s+(\\d{1,2}),?\\s+(?:(\\d{4}),?\\s+)?${TIME}\\s*(AM|PM)?\\s*(.*?)(?:\\s+(\\d{4}))?$`,
  'i',
);
const DAY_MONTH_RE = new RegExp(`^(\\d{1,2})[\\s/-]${MONTH}[\\s/-](\\d{4})(?:[\\s:T]+)${TIME}\\s*(.*)$`, 'i');
const US_RE = new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})\\s+${TIME}\\s*(AM|PM)?\\s*(.*)$`, 'i');

function fraction(text: string | undefined): number {
  return text ? Number(text.slice(0, 3).padEnd(3, '0')) : 0;
}

function hour12(hour: number, ampm: string | undefined): number {
  if (!ampm) return hour;
  const pm = ampm.toUpperCase() === 'PM';
  if (hour < 1 || hour > 12) return NaN;
  return (hour % 12) + (pm ? 12 : 0);
}

export interface TimeOptions {
  /** IANA zone for stamps without a zone; defaults to ctx.timeZone. */
  zone?: string;
}

/** `f` in `year` (a plain literal: object spread made year inference several times slower). */
function withYear(f: Omit<LocalFields, 'year'>, year: number): LocalFields {
  return { year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: f.second, millisecond: f.millisecond };
}

/** The year-less stamp's year: the receive year, or the one before if that lands over a week ahead. */
function withInferredYear(f: Omit<LocalFields, 'year'>, zone: Zone, ctx: ParseContext): Date | null {
  const received = ctx.receivedAt.getTime();
  const wall = 'offsetMs' in zone ? received + zone.offsetMs : received + offsetMs(received, zone.timeZone);
  const year = new Date(wall).getUTCFullYear();
  const d = localToDate(withYear(f, year), zone);
  if (d && d.getTime() - received > 7 * 86400000) return localToDate(withYear(f, year - 1), zone);
  // 29 February does not exist in every receive year; the year before may have it.
  return d ?? localToDate(withYear(f, year - 1), zone);
}

/** Epoch seconds, milliseconds, microseconds or nanoseconds (told apart by magnitude). */
export function fromEpoch(value: unknown): Date | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  else return null;
  if (!Number.isFinite(n) || n <= 0) return null;
  let ms: number;
  if (n < 1e11) ms = n * 1000;
  else if (n < 1e14) ms = n;
  else if (n < 1e17) ms = n / 1000;
  else ms = n / 1e6;
  return valid(Math.floor(ms));
}

/** Parses the timestamp shapes devices write. Returns null when the text is not a time. */
export function parseTimestamp(value: unknown, ctx: ParseContext, options: TimeOptions = {}): Date | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.length > 80) return null;
  const defaultZone: Zone = { timeZone: options.zone ?? ctx.timeZone };
  const zoneOf = (t: string | undefined): Zone => zoneFromText(t) ?? defaultZone;

  if (/^\d{9,19}(\.\d+)?$/.test(text)) return fromEpoch(text);

  let m = ISO_RE.exec(text);
  if (m) {
    return localToDate(
      {
        year: Number(m[1]),
        month: Number(m[3]),
        day: Number(m[4]),
        hour: m[5] !== undefined ? Number(m[5]) : 0,
        minute: m[6] !== undefined ? Number(m[6]) : 0,
        second: m[7] !== undefined ? Number(m[7]) : 0,
        millisecond: fraction(m[8]),
      },
      zoneOf(m[9]),
    );
  }
  m = MONTH_NAME_RE.exec(text);
  if (m) {
    const year = m[3] ?? m[10];
    const fields = {
      month: MONTHS[m[1].toLowerCase()],
      day: Number(m[2]),
      hour: hour12(Number(m[4]), m[8]),
      minute: Number(m[5]),
      second: m[6] !== undefined ? Number(m[6]) : 0,
      millisecond: fraction(m[7]),
    };
    const zone = zoneOf(m[9]);
    return year !== undefined ? localToDate(withYear(fields, Number(year)), zone) : withInferredYear(fields, zone, ctx);
  }
  m = DAY_MONTH_RE.exec(text);
  if (m) {
    return localToDate(
      {
        year: Number(m[3]),
        month: MONTHS[m[2].toLowerCase()],
        day: Number(m[1]),
        hour: Number(m[4]),
        minute: Number(m[5]),
        second: m[6] !== undefined ? Number(m[6]) : 0,
        millisecond: fraction(m[7]),
      },
      zoneOf(m[8]),
    );
  }
  m = US_RE.exec(text);
  if (m) {
    return localToDate(
      {
        year: Number(m[3]),
        month: Number(m[1]),
        day: Number(m[2]),
        hour: hour12(Number(m[4]), m[8]),
        minute: Number(m[5]),
        second: m[6] !== undefined ? Number(m[6]) : 0,
        millisecond: fraction(m[7]),
      },
      zoneOf(m[9]),
    );
  }
  return null;
}

/** A JSON time value: epoch number, numeric string, or a textual timestamp. */
export function toDate(value: unknown, ctx: ParseContext, options: TimeOptions = {}): Date | null {
  if (typeof value === 'number') return fromEpoch(value);
  return parseTimestamp(value, ctx, options);
}

/** BSD syslog stamp "Nov 20 11:21:04" (optionally with a year or fraction), read in ctx's zone. */
export function parseBsdTimestamp(
  month: string,
  day: string,
  year: string | undefined,
  time: string,
  ctx: ParseContext,
): Date | null {
  const t = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(time);
  const mo = MONTHS[month.slice(0, 3).toLowerCase()];
  if (!t || !mo) return null;
  const fields = {
    month: mo,
    day: Number(day),
    hour: Number(t[1]),
    minute: Number(t[2]),
    second: Number(t[3]),
    millisecond: fraction(t[4]),
  };
  const zone: Zone = { timeZone: ctx.timeZone };
  return year ? localToDate(withYear(fields, Number(year)), zone) : withInferredYear(fields, zone, ctx);
}
