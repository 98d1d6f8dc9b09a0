import { IncidentStatusValue, SlaClockValue } from '@kanshi/events';

// The SLA columns of an incident, as the clock rules see them.
export interface SlaFields {
  status: IncidentStatusValue;
  analysisDueAt: Date | null;
  analysisMetAt: Date | null;
  analysisBreached: boolean;
  firstReportDueAt: Date | null;
  firstReportMetAt: Date | null;
  firstReportBreached: boolean;
  detailedReportDueAt: Date | null;
  detailedReportMetAt: Date | null;
  detailedReportBreached: boolean;
  pausedAt: Date | null;
  nextDueAt: Date | null;
}

interface ClockColumns {
  due: 'analysisDueAt' | 'firstReportDueAt' | 'detailedReportDueAt';
  met: 'analysisMetAt' | 'firstReportMetAt' | 'detailedReportMetAt';
  breached: 'analysisBreached' | 'firstReportBreached' | 'detailedReportBreached';
}

export const CLOCK_COLUMNS: Readonly<Record<SlaClockValue, ClockColumns>> = {
  ANALYSIS: { due: 'analysisDueAt', met: 'analysisMetAt', breached: 'analysisBreached' },
  FIRST_REPORT: { due: 'firstReportDueAt', met: 'firstReportMetAt', breached: 'firstReportBreached' },
  DETAILED_REPORT: { due: 'detailedReportDueAt', met: 'detailedReportMetAt', breached: 'detailedReportBreached' },
};
export const CLOCKS = Object.keys(CLOCK_COLUMNS) as SlaClockValue[];

const FINISHED: readonly IncidentStatusValue[] = ['RESOLVED', 'CLOSED'];

// A clock runs from when it is set until it stops on its event; a breached one is reported once.
export function isRunning(i: SlaFields, clock: SlaClockValue): boolean {
  const c = CLOCK_COLUMNS[clock];
  return i[c.due] !== null && i[c.met] === null;
}

// The clocks the scheduler must look at next: running, not yet breached, not paused, incident open.
export function nextDueAt(i: SlaFields): Date | null {
  if (i.pausedAt || FINISHED.includes(i.status)) return null;
  let next: Date | null = null;
  for (const clock of CLOCKS) {
    const c = CLOCK_COLUMNS[clock];
    const due = i[c.due];
    if (due && !i[c.met] && !i[c.breached] && (!next || due < next)) next = due;
  }
  return next;
}

// Stops a clock on its event; false when it was not running (not set, or already stopped).
export function stopClock(i: SlaFields, clock: SlaClockValue, at: Date): boolean {
  if (!isRunning(i, clock)) return false;
  i[CLOCK_COLUMNS[clock].met] = at;
  i.nextDueAt = nextDueAt(i);
  return true;
}

// Pausing (waiting for the customer) holds every running clock; resuming moves their due times
// later by the length of the pause. Breach flags already raised stay.
export function pauseClocks(i: SlaFields, at: Date): void {
  i.pausedAt = at;
  i.nextDueAt = null;
}

export function resumeClocks(i: SlaFields, at: Date): number {
  if (!i.pausedAt) return 0;
  const pausedMs = Math.max(0, at.getTime() - i.pausedAt.getTime());
  for (const clock of CLOCKS) {
    const c = CLOCK_COLUMNS[clock];
    const due = i[c.due];
    if (due && !i[c.met] && !i[c.breached]) i[c.due] = new Date(due.getTime() + pausedMs);
  }
  i.pausedAt = null;
  i.nextDueAt = nextDueAt(i);
  return pausedMs;
}

// The clocks due at `now` that have not been reported yet (running, unbreached, not paused).
export function dueClocks(i: SlaFields, now: Date): SlaClockValue[] {
  if (i.pausedAt || FINISHED.includes(i.status)) return [];
  return CLOCKS.filter((clock) => {
    const c = CLOCK_COLUMNS[clock];
    const due = i[c.due];
    return due !== null && !i[c.met] && !i[c.breached] && due <= now;
  });
}
