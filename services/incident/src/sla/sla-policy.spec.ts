// The SLA due times on the provider's business calendar, at the moments the seed's service levels
// are about: inside and outside 9:00-17:30 JST, weekends, a Japanese holiday, the year-end closure.
import { BusinessCalendar } from '@kanshi/calendar';
import { dueClocks, nextDueAt, pauseClocks, resumeClocks, SlaFields, stopClock } from './sla-clocks';
import { SlaPolicy, SlaTerms } from './sla-policy';

const jst = (local: string) => new Date(`${local}+09:00`);
const iso = (local: string) => jst(local).toISOString();
const policy = new SlaPolicy(new BusinessCalendar());
const BUSINESS: SlaTerms = { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'BUSINESS_HOURS' };
const ALWAYS: SlaTerms = { plan: 'FE_SECURITY_MONITORING', serviceHours: 'ALWAYS' };
const MDR: SlaTerms = { plan: 'MDR', serviceHours: 'ALWAYS' };

describe('analysis due time, business-hours plan (9:00-17:30 Asia/Tokyo)', () => {
  it.each([
    ['inside hours: 30 minutes later', '2026-12-02T10:00:00', '2026-12-02T10:30:00'],
    ['inside hours near closing: 30 minutes later, past 17:30', '2026-12-02T17:20:00', '2026-12-02T17:50:00'],
    ['at 9:00 sharp (inside)', '2026-12-02T09:00:00', '2026-12-02T09:30:00'],
    ['at 17:30 sharp (outside): 17:30 the next business day', '2026-12-02T17:30:00', '2026-12-03T17:30:00'],
    ['in the evening: 17:30 the next business day', '2026-12-02T20:00:00', '2026-12-03T17:30:00'],
    ['before opening: 17:30 of the next business day after that date', '2026-12-02T07:00:00', '2026-12-03T17:30:00'],
    ['Friday evening: Monday 17:30', '2026-12-04T18:00:00', '2026-12-07T17:30:00'],
    ['Saturday morning: Monday 17:30', '2026-12-05T10:00:00', '2026-12-07T17:30:00'],
    ['Sunday, business o’clock: Monday 17:30', '2026-12-06T11:00:00', '2026-12-07T17:30:00'],
    ['Friday evening before a holiday Monday (Labour Thanksgiving Day 2026-11-23): Tuesday 17:30', '2026-11-20T18:00:00', '2026-11-24T17:30:00'],
    ['on the holiday itself during office hours: the day after 17:30', '2026-11-23T10:00:00', '2026-11-24T17:30:00'],
    ['the evening before the year-end closure (12-29..01-03): 17:30 on January 4', '2026-12-28T18:00:00', '2027-01-04T17:30:00'],
    ['inside the year-end closure at noon: 17:30 on January 4', '2026-12-30T12:00:00', '2027-01-04T17:30:00'],
  ])('%s', (_, arrived, due) => {
    expect(policy.analysisDueAt(jst(arrived), BUSINESS).toISOString()).toBe(iso(due));
  });

  it('follows a configured closure: none makes December 29 a business day', () => {
    const noClosure = new SlaPolicy(new BusinessCalendar({ yearEndClosure: null }));
    expect(noClosure.analysisDueAt(jst('2026-12-28T18:00:00'), BUSINESS).toISOString()).toBe(iso('2026-12-29T17:30:00'));
    const longer = new SlaPolicy(new BusinessCalendar({ yearEndClosure: { from: '12-26', to: '01-05' } }));
    expect(longer.analysisDueAt(jst('2026-12-25T18:00:00'), BUSINESS).toISOString()).toBe(iso('2027-01-06T17:30:00'));
  });
});

describe('analysis due time, around-the-clock plans', () => {
  it.each([
    ['a Saturday night', '2026-12-05T23:50:00', '2026-12-06T00:20:00'],
    ['a holiday', '2026-11-23T03:00:00', '2026-11-23T03:30:00'],
    ['inside the year-end closure', '2026-12-31T23:45:00', '2027-01-01T00:15:00'],
  ])('30 minutes on %s', (_, arrived, due) => {
    expect(policy.analysisDueAt(jst(arrived), ALWAYS).toISOString()).toBe(iso(due));
  });

  it('gives a customer without a known contract the strict 30 minutes', () => {
    expect(policy.analysisDueAt(jst('2026-12-05T10:00:00'), { plan: null, serviceHours: null }).toISOString()).toBe(iso('2026-12-05T10:30:00'));
  });
});

describe('MDR report clocks, from the severity decision', () => {
  it('runs for HIGH and MEDIUM on MDR only', () => {
    expect(policy.reportClocksApply(MDR, 'HIGH')).toBe(true);
    expect(policy.reportClocksApply(MDR, 'MEDIUM')).toBe(true);
    expect(policy.reportClocksApply(MDR, 'LOW')).toBe(false);
    expect(policy.reportClocksApply(ALWAYS, 'HIGH')).toBe(false);
  });

  it('is due 60 minutes later for the first report, 17:30 the next business day for the detailed one', () => {
    const friday = jst('2026-12-04T17:10:00');
    expect(policy.firstReportDueAt(friday).toISOString()).toBe(iso('2026-12-04T18:10:00'));
    expect(policy.detailedReportDueAt(friday).toISOString()).toBe(iso('2026-12-07T17:30:00'));
    // decided on the Saturday before a holiday Monday: Tuesday
    expect(policy.detailedReportDueAt(jst('2026-11-21T09:00:00')).toISOString()).toBe(iso('2026-11-24T17:30:00'));
    // decided on December 28: after the closure
    expect(policy.detailedReportDueAt(jst('2026-12-28T11:00:00')).toISOString()).toBe(iso('2027-01-04T17:30:00'));
  });
});

function fields(over: Partial<SlaFields> = {}): SlaFields {
  return {
    status: 'NEW',
    analysisDueAt: jst('2026-12-02T10:30:00'),
    analysisMetAt: null,
    analysisBreached: false,
    firstReportDueAt: null,
    firstReportMetAt: null,
    firstReportBreached: false,
    detailedReportDueAt: null,
    detailedReportMetAt: null,
    detailedReportBreached: false,
    pausedAt: null,
    nextDueAt: jst('2026-12-02T10:30:00'),
    ...over,
  };
}

describe('clock states', () => {
  it('names the clocks due at a moment, and none before', () => {
    const i = fields();
    expect(dueClocks(i, jst('2026-12-02T10:29:59'))).toEqual([]);
    expect(dueClocks(i, jst('2026-12-02T10:30:00'))).toEqual(['ANALYSIS']);
  });

  it('stops a running clock once; a stopped or breached one is no longer next', () => {
    const i = fields({ firstReportDueAt: jst('2026-12-02T11:30:00') });
    expect(stopClock(i, 'ANALYSIS', jst('2026-12-02T10:10:00'))).toBe(true);
    expect(stopClock(i, 'ANALYSIS', jst('2026-12-02T10:20:00'))).toBe(false);
    expect(i.analysisMetAt).toEqual(jst('2026-12-02T10:10:00'));
    expect(i.nextDueAt).toEqual(jst('2026-12-02T11:30:00'));
    i.firstReportBreached = true;
    expect(nextDueAt(i)).toBeNull();
    expect(stopClock(i, 'DETAILED_REPORT', jst('2026-12-02T10:20:00'))).toBe(false);
  });

  it('holds clocks while paused and moves their due times by the pause on resume', () => {
    const i = fields();
    pauseClocks(i, jst('2026-12-02T10:10:00'));
    expect(i.nextDueAt).toBeNull();
    expect(dueClocks(i, jst('2026-12-02T12:00:00'))).toEqual([]);
    expect(resumeClocks(i, jst('2026-12-02T10:55:00'))).toBe(45 * 60_000);
    expect(i.analysisDueAt).toEqual(jst('2026-12-02T11:15:00'));
    expect(i.nextDueAt).toEqual(jst('2026-12-02T11:15:00'));
    expect(i.pausedAt).toBeNull();
  });

  it('does not watch the clocks of a resolved or closed incident', () => {
    expect(nextDueAt(fields({ status: 'RESOLVED' }))).toBeNull();
    expect(dueClocks(fields({ status: 'CLOSED' }), jst('2026-12-03T00:00:00'))).toEqual([]);
  });
});
