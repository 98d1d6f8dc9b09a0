import { daysInMonth, tokyoMidnight } from '@kanshi/calendar';
import { SLA_CLOCKS, SlaClockValue, SOC_SEVERITIES, SocSeverity } from '@kanshi/events';
import { Lang } from '../common/report-format';
import { IncidentFact, IsolationOutcomeFact, MaintenanceWindowFact, VerdictStatistics, WorkOrderFact } from '../report-data/report-facts';
import { SensorUptime } from '../report-data/uptime';

// A calendar month in Asia/Tokyo: 'YYYY-MM', its first day and the first day of the next.
export interface TokyoMonth {
  month: string;
  firstDay: string;
  nextFirstDay: string;
  from: Date;
  to: Date;
  days: number;
}

export function tokyoMonth(month: string): TokyoMonth {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const firstDay = `${month}-01`;
  const nextFirstDay = `${next}-01`;
  return { month, firstDay, nextFirstDay, from: tokyoMidnight(firstDay), to: tokyoMidnight(nextFirstDay), days: daysInMonth(y, m) };
}

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export type SlaOutcome = 'MET' | 'BREACHED' | 'RUNNING';

export interface MonthlyIncidentRow {
  incidentId: string;
  title: string;
  kind: string;
  severity: SocSeverity;
  status: string;
  openedAt: string;
  resolvedAt: string | null;
  sla: { clock: SlaClockValue; dueAt: string; metAt: string | null; outcome: SlaOutcome }[];
}

export interface SlaSummaryRow {
  clock: SlaClockValue;
  met: number;
  breached: number;
  running: number;
  // met / (met + breached), in %, two decimals; null when no clock of this kind stopped.
  compliancePercent: number | null;
}

export interface MonthlyReportView {
  lang: Lang;
  month: string;
  customerName: string;
  provisional: boolean;
  generatedAt: Date;
  // The days the figures cover: the whole month, or up to today for a provisional one.
  days: string[];
  stats: VerdictStatistics;
  previous: { month: string; bySeverity: Record<SocSeverity, number>; total: number };
  // This month minus the previous month, per severity and in total.
  change: Record<SocSeverity | 'TOTAL', number>;
  daily: Record<SocSeverity, number[]>;
  incidents: MonthlyIncidentRow[];
  sla: SlaSummaryRow[];
  uptime: SensorUptime[];
  maintenance: MaintenanceWindowFact[];
  workOrders: WorkOrderFact[];
  isolations: IsolationOutcomeFact[];
  isolationCounts: { ISOLATED: number; FAILED: number; RELEASED: number };
}

export interface MonthlyReportInput {
  lang: Lang;
  month: string;
  customerName: string;
  provisional: boolean;
  generatedAt: Date;
  stats: VerdictStatistics;
  previous: VerdictStatistics;
  incidents: IncidentFact[];
  uptime: SensorUptime[];
  maintenance: MaintenanceWindowFact[];
  workOrders: WorkOrderFact[];
  isolations: IsolationOutcomeFact[];
}

export function slaOutcome(c: { metAt: string | null; breached: boolean }): SlaOutcome {
  if (c.breached) return 'BREACHED';
  return c.metAt ? 'MET' : 'RUNNING';
}

export function buildMonthlyReportView(i: MonthlyReportInput): MonthlyReportView {
  const m = tokyoMonth(i.month);
  const days = Array.from({ length: m.days }, (_, d) => `${i.month}-${String(d + 1).padStart(2, '0')}`);
  const byDay = new Map(i.stats.byDay.map((d) => [d.day, d]));
  const daily = Object.fromEntries(SOC_SEVERITIES.map((s) => [s, days.map((d) => byDay.get(d)?.[s] ?? 0)])) as Record<SocSeverity, number[]>;
  const change = Object.fromEntries([...SOC_SEVERITIES.map((s) => [s, i.stats.bySeverity[s] - i.previous.bySeverity[s]]), ['TOTAL', i.stats.total - i.previous.total]]) as MonthlyReportView['change'];
  const incidents: MonthlyIncidentRow[] = i.incidents.map(({ snapshot: s }) => ({
    incidentId: s.incidentId,
    title: s.title,
    kind: s.kind,
    severity: s.severity,
    status: s.status,
    openedAt: s.openedAt,
    resolvedAt: s.resolvedAt ?? null,
    sla: (s.sla ?? []).map((c) => ({ clock: c.clock, dueAt: c.dueAt, metAt: c.metAt ?? null, outcome: slaOutcome({ metAt: c.metAt ?? null, breached: c.breached }) })),
  }));
  const sla: SlaSummaryRow[] = SLA_CLOCKS.map((clock) => {
    const all = incidents.flatMap((x) => x.sla.filter((c) => c.clock === clock));
    const met = all.filter((c) => c.outcome === 'MET').length;
    const breached = all.filter((c) => c.outcome === 'BREACHED').length;
    const running = all.filter((c) => c.outcome === 'RUNNING').length;
    return { clock, met, breached, running, compliancePercent: met + breached ? Math.round((met / (met + breached)) * 10_000) / 100 : null };
  }).filter((r) => r.met + r.breached + r.running > 0);
  const isolationCounts = { ISOLATED: 0, FAILED: 0, RELEASED: 0 };
  for (const o of i.isolations) isolationCounts[o.outcome]++;
  return {
    lang: i.lang,
    month: i.month,
    customerName: i.customerName,
    provisional: i.provisional,
    generatedAt: i.generatedAt,
    days,
    stats: i.stats,
    previous: { month: previousMonth(i.month), bySeverity: i.previous.bySeverity, total: i.previous.total },
    change,
    daily,
    incidents,
    sla,
    uptime: i.uptime,
    maintenance: i.maintenance,
    workOrders: i.workOrders,
    isolations: i.isolations,
    isolationCounts,
  };
}
