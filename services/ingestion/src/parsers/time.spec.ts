import { fromEpoch, isValidTimeZone, localToDate, parseTimestamp, zoneFromText } from './time';
import { context } from './spec-helpers';

const tokyo = context('Asia/Tokyo', '2026-11-20T03:00:00Z');

describe('parseTimestamp', () => {
  it.each([
    ['2026-11-20T02:14:09Z', '2026-11-20T02:14:09.000Z'],
    ['2026-11-20 11:14:09', '2026-11-20T02:14:09.000Z'], // device-local, Tokyo
    ['2026/11/20 11:21:02', '2026-11-20T02:21:02.000Z'], // PAN-OS
    ['2016-01-05 08:37:59+00', '2016-01-05T08:37:59.000Z'], // FireEye short offset
    ['2026-11-20 09:31:40+09', '2026-11-20T00:31:40.000Z'],
    ['2026-11-20T10:14:58.123+09:00', '2026-11-20T01:14:58.123Z'],
    ['2026-11-20T10:14:58.123456789-0500', '2026-11-20T15:14:58.123Z'],
    ['Nov 20 2026 02:44:51 GMT+00:00', '2026-11-20T02:44:51.000Z'], // Trend Micro rt
    ['Nov 20 2026 02:44:51 UTC', '2026-11-20T02:44:51.000Z'],
    ['Nov 20 2026 11:44:51', '2026-11-20T02:44:51.000Z'],
    ['Fri Nov 20 11:02:33 JST 2026', '2026-11-20T02:02:33.000Z'],
    ['20/Nov/2026:11:02:33 +0900', '2026-11-20T02:02:33.000Z'],
    ['11/20/2026 2:44:51 PM', '2026-11-20T05:44:51.000Z'],
    ['1763604153', '2025-11-20T02:02:33.000Z'], // epoch seconds
    ['1795143719000', '2026-11-20T03:01:59.000Z'], // epoch milliseconds
    ['1795137000000000000', '2026-11-20T01:10:00.000Z'], // FortiOS eventtime in nanoseconds
  ])('reads %s as %s', (text, iso) => {
    expect(parseTimestamp(text, tokyo)?.toISOString()).toBe(iso);
  });

  it('reads a year-less stamp in the receive year, or the year before when it would be in the future', () => {
    const newYear = context('Asia/Tokyo', '2027-01-01T00:00:30Z'); // 09:00:30 JST on 1 January
    expect(parseTimestamp('Dec 31 23:59:58', newYear)?.toISOString()).toBe('2026-12-31T14:59:58.000Z');
    expect(parseTimestamp('Jan  1 08:59:00', newYear)?.toISOString()).toBe('2026-12-31T23:59:00.000Z');
  });

  it('applies daylight saving time of the device zone', () => {
    const ny = context('America/New_York', '2026-07-01T00:00:00Z');
    expect(parseTimestamp('2026-07-01 12:00:00', ny)?.toISOString()).toBe('2026-07-01T16:00:00.000Z');
    expect(parseTimestamp('2026-01-15 12:00:00', ny)?.toISOString()).toBe('2026-01-15T17:00:00.000Z');
    // 02:30 does not exist on the spring-forward night; it is read one hour later.
    expect(parseTimestamp('2026-03-08 02:30:00', ny)?.toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('honours a zone override for sources that write UTC', () => {
    expect(parseTimestamp('2026-11-20 02:39:58', tokyo, { zone: 'UTC' })?.toISOString()).toBe('2026-11-20T02:39:58.000Z');
  });

  it.each(['', 'not a date', '2026-02-30 10:00:00', '2026-13-01 00:00:00', '2026-11-20 25:00:00', '99999999999999999999', 'Foo 20 2026 10:00:00'])(
    'rejects %j instead of returning an invalid Date',
    (text) => {
      expect(parseTimestamp(text, tokyo)).toBeNull();
    },
  );
});

describe('zones and epochs', () => {
  it('reads zone designators', () => {
    expect(zoneFromText('+0900')).toEqual({ offsetMs: 9 * 3600000 });
    expect(zoneFromText('(GMT+9:00)')).toEqual({ offsetMs: 9 * 3600000 });
    expect(zoneFromText('GMT-05:30')).toEqual({ offsetMs: -5.5 * 3600000 });
    expect(zoneFromText('JST')).toEqual({ offsetMs: 9 * 3600000 });
    expect(zoneFromText('Asia/Tokyo')).toEqual({ timeZone: 'Asia/Tokyo' });
    expect(zoneFromText('Mars/Olympus')).toBeUndefined();
    expect(zoneFromText('+2500')).toBeUndefined();
  });

  it('tells epoch units apart by magnitude and refuses zero or negative values', () => {
    expect(fromEpoch(1763606101000)?.toISOString()).toBe('2025-11-20T02:35:01.000Z');
    expect(fromEpoch(1763606101)?.toISOString()).toBe('2025-11-20T02:35:01.000Z');
    expect(fromEpoch(1763606101000000)?.toISOString()).toBe('2025-11-20T02:35:01.000Z');
    expect(fromEpoch(0)).toBeNull();
    expect(fromEpoch(-5)).toBeNull();
    expect(fromEpoch(Number.NaN)).toBeNull();
  });

  it('validates IANA zone names', () => {
    expect(isValidTimeZone('Asia/Tokyo')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Tokyo/Asia')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('converts local calendar fields with a fixed offset', () => {
    expect(localToDate({ year: 2026, month: 11, day: 20, hour: 11, minute: 2, second: 33 }, { offsetMs: 9 * 3600000 })?.toISOString()).toBe(
      '2026-11-20T02:02:33.000Z',
    );
    expect(localToDate({ year: 2026, month: 2, day: 29 }, { timeZone: 'UTC' })).toBeNull();
  });
});
