import { addMonths, isExpired, monthPartition, monthsAhead, parsePartitionName } from './partition-calendar';

const at = (iso: string) => new Date(iso);

describe('raw-event partition calendar', () => {
  it('names a partition after its retention class and UTC month, and reads the name back', () => {
    const p = monthPartition(3, at('2026-11-28T23:59:59Z'));
    expect(p).toEqual({ name: 'raw_event_r3_202611', retentionMonths: 3, from: at('2026-11-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') });
    expect(parsePartitionName('raw_event_r3_202611')).toEqual(p);
    expect(monthPartition(12, at('2026-12-15T00:00:00Z')).to).toEqual(at('2027-01-01T00:00:00Z'));
    expect(parsePartitionName('raw_event_r3')).toBeNull();
    expect(parsePartitionName('raw_event_r3_202613')).toBeNull();
  });

  it('keeps every event at least its retention: a month goes once its last day is N months old', () => {
    const november = monthPartition(3, at('2026-11-10T00:00:00Z'));
    // On 28 Feb the last November events (30 Nov 23:59) are not yet three months old.
    expect(isExpired(november, at('2027-02-28T12:00:00Z'))).toBe(false);
    expect(isExpired(november, at('2027-03-01T00:00:00Z'))).toBe(true);
    // A 12-month class keeps the same month a year.
    expect(isExpired(monthPartition(12, at('2026-11-10T00:00:00Z')), at('2027-03-01T00:00:00Z'))).toBe(false);
  });

  it('subtracts months to the last day of a shorter month', () => {
    expect(addMonths(at('2027-05-31T10:00:00Z'), -3)).toEqual(at('2027-02-28T10:00:00Z'));
    expect(addMonths(at('2028-03-31T00:00:00Z'), -1)).toEqual(at('2028-02-29T00:00:00Z'));
  });

  it('lists this month and the months ahead, across a year end', () => {
    expect(monthsAhead(at('2026-11-28T06:00:00Z'), 2)).toEqual([at('2026-11-01T00:00:00Z'), at('2026-12-01T00:00:00Z'), at('2027-01-01T00:00:00Z')]);
  });
});
