import { VerdictStatistics } from '../report-data/report-facts';
import { buildMonthlyReportView, previousMonth, slaOutcome, tokyoMonth } from './monthly-report.view';

const stats = (over: Partial<VerdictStatistics> = {}): VerdictStatistics => ({
  total: 0,
  bySeverity: { HIGH: 0, MEDIUM: 0, LOW: 0 },
  byDay: [],
  bySensor: [],
  byProduct: [],
  byCategory: [],
  topSignatures: [],
  lowBySignature: [],
  lowBySensor: [],
  blocked: 0,
  ...over,
});

const clock = (clock: 'ANALYSIS' | 'FIRST_REPORT', metAt: string | null, breached: boolean) => ({ clock, dueAt: '2026-11-01T00:00:00Z', metAt, breached });
const incident = (sla: ReturnType<typeof clock>[]) => ({
  incidentId: 'i',
  customerId: 'c',
  snapshot: {
    incidentId: 'i',
    version: 1,
    kind: 'SECURITY' as const,
    severity: 'HIGH' as const,
    status: 'RESOLVED' as const,
    title: 't',
    openedAt: '2026-11-02T00:00:00Z',
    resolvedAt: null,
    groupId: null,
    sensorId: null,
    verdictIds: [],
    alertIds: [],
    sla,
    findings: { whatIsHappening: null, howDangerous: null, whatToDo: null },
    timeline: [],
  },
});

describe('Tokyo months', () => {
  it('start at 00:00 JST on the 1st and know their length and the month before', () => {
    expect(tokyoMonth('2026-11')).toMatchObject({ firstDay: '2026-11-01', nextFirstDay: '2026-12-01', days: 30, from: new Date('2026-10-31T15:00:00Z'), to: new Date('2026-11-30T15:00:00Z') });
    expect(tokyoMonth('2026-12').nextFirstDay).toBe('2027-01-01');
    expect(tokyoMonth('2028-02').days).toBe(29);
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
  });
});

describe('buildMonthlyReportView', () => {
  const build = (over: Partial<Parameters<typeof buildMonthlyReportView>[0]> = {}) =>
    buildMonthlyReportView({
      lang: 'ja',
      month: '2026-11',
      customerName: 'C',
      provisional: false,
      generatedAt: new Date(),
      stats: stats(),
      previous: stats(),
      incidents: [],
      uptime: [],
      maintenance: [],
      workOrders: [],
      isolations: [],
      ...over,
    });

  it('fills every day of the month per severity and compares with the previous month', () => {
    const v = build({
      stats: stats({ total: 6, bySeverity: { HIGH: 1, MEDIUM: 2, LOW: 3 }, byDay: [{ day: '2026-11-02', HIGH: 1, MEDIUM: 2, LOW: 3 }] }),
      previous: stats({ total: 9, bySeverity: { HIGH: 3, MEDIUM: 2, LOW: 4 } }),
    });
    expect(v.days).toHaveLength(30);
    expect(v.daily.LOW.slice(0, 3)).toEqual([0, 3, 0]);
    expect(v.change).toEqual({ HIGH: -2, MEDIUM: 0, LOW: -1, TOTAL: -3 });
    expect(v.previous.month).toBe('2026-10');
  });

  it('counts each SLA clock met, breached or running, with compliance over the stopped ones', () => {
    const v = build({ incidents: [incident([clock('ANALYSIS', '2026-11-02T00:10:00Z', false), clock('FIRST_REPORT', null, false)]), incident([clock('ANALYSIS', '2026-11-02T01:00:00Z', true)]), incident([clock('ANALYSIS', '2026-11-02T00:10:00Z', false)])] });
    expect(v.sla).toEqual([
      { clock: 'ANALYSIS', met: 2, breached: 1, running: 0, compliancePercent: 66.67 },
      { clock: 'FIRST_REPORT', met: 0, breached: 0, running: 1, compliancePercent: null },
    ]);
    expect(v.incidents[0].sla.map((c) => c.outcome)).toEqual(['MET', 'RUNNING']);
  });

  it('calls a clock breached even when it stopped late', () => {
    expect(slaOutcome({ metAt: '2026-11-02T01:00:00Z', breached: true })).toBe('BREACHED');
    expect(slaOutcome({ metAt: null, breached: true })).toBe('BREACHED');
  });
});
