import { IncidentStatusValue } from '@kanshi/events';
import { IncidentError } from './incidents.errors';

// The workflow: NEW -> TRIAGED -> NOTIFIED -> CONTAINED -> RESOLVED -> CLOSED. Steps may be skipped
// forward to RESOLVED (not every incident is notified or contained), and a RESOLVED or CLOSED
// incident may be reopened (back to TRIAGED). Merging and marking duplicate / false positive close
// an incident directly (IncidentsService), outside this table.
export const TRANSITIONS: Readonly<Record<IncidentStatusValue, readonly IncidentStatusValue[]>> = {
  NEW: ['TRIAGED', 'RESOLVED'],
  TRIAGED: ['NOTIFIED', 'CONTAINED', 'RESOLVED'],
  NOTIFIED: ['CONTAINED', 'RESOLVED'],
  CONTAINED: ['RESOLVED'],
  RESOLVED: ['CLOSED', 'TRIAGED'],
  CLOSED: ['TRIAGED'],
};

export function canMove(from: IncidentStatusValue, to: IncidentStatusValue): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: IncidentStatusValue, to: IncidentStatusValue): void {
  if (!canMove(from, to)) {
    const allowed = TRANSITIONS[from].join(', ');
    throw new IncidentError('BAD_TRANSITION', `an incident cannot move from ${from} to ${to} (from ${from} it may move to ${allowed})`, 'status');
  }
}

export const FINISHED_STATUSES: readonly IncidentStatusValue[] = ['RESOLVED', 'CLOSED'];
export const isFinished = (s: IncidentStatusValue) => FINISHED_STATUSES.includes(s);
