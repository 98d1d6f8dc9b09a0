import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IncidentChangedBody, IncidentOpened, IncidentResolved, IncidentStatusValue, IncidentUpdated, IncidentUpdatedBody, SlaClockSnapshot } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { IncidentTimeline, TimelineEntryInput } from '../timeline/incident-timeline';
import { CLOCK_COLUMNS, CLOCKS, nextDueAt } from '../sla/sla-clocks';
import { isFinished } from './incident-transitions';
import { IncidentEntity } from './incident.entity';
import { IncidentError } from './incidents.errors';
import { IncidentsRepository, IncidentVerdictRow } from './incidents.repository';
import { TimelineRow } from '../timeline/timeline.repository';

const MAX_IDS = 1000;
const TIMELINE_IN_SNAPSHOT = 500;

export const changedBody = (i: IncidentEntity): IncidentChangedBody => ({ incidentId: i.id, severity: i.severity, status: i.status, title: i.title });

// The one way an incident row is written: insert (incident.opened) or save under optimistic locking
// (VERSION_CONFLICT when another wrote since it was read); both publish incident.updated, the whole
// incident with its new version, through the outbox in the caller's transaction.
@Injectable()
export class IncidentWriter {
  constructor(
    private readonly repo: IncidentsRepository,
    private readonly timeline: IncidentTimeline,
    private readonly outbox: Outbox,
  ) {}

  async insert(em: EntityManager, values: Partial<IncidentEntity>): Promise<IncidentEntity> {
    const incident = await this.repo.insert(em, values);
    await this.outbox.add(em, IncidentOpened, changedBody(incident), { customerId: incident.customerId });
    return incident;
  }

  // insert() of many incidents: one statement for the rows, one for their incident.opened.
  async insertMany(em: EntityManager, values: readonly Partial<IncidentEntity>[]): Promise<IncidentEntity[]> {
    const incidents = await this.repo.insertMany(em, values);
    await this.outbox.addMany(
      em,
      IncidentOpened,
      incidents.map((i) => ({ body: changedBody(i), customerId: i.customerId })),
    );
    return incidents;
  }

  // Saves the incident read at `readVersion` (defaults to the version it carries) and publishes the
  // snapshot; IncidentError VERSION_CONFLICT when the row moved on in between.
  async save(em: EntityManager, incident: IncidentEntity, readVersion = incident.version): Promise<IncidentEntity> {
    if (!(await this.repo.update(em, incident, readVersion))) {
      throw new IncidentError('VERSION_CONFLICT', `incident ${incident.id} was changed by someone else since version ${readVersion}; read it again and retry`, 'id');
    }
    await this.publishSnapshot(em, incident);
    return incident;
  }

  // Sets the status with its timestamps, the timeline entry and incident.resolved (the row is saved
  // by the caller). The clocks of a finished incident stop being watched; a reopened one's are again.
  // Checking that the move is allowed is the caller's (assertTransition).
  async setStatus(em: EntityManager, i: IncidentEntity, to: IncidentStatusValue, actor: string, now: Date, note?: string): Promise<void> {
    await this.timeline.append(em, i.id, this.statusChange(i, to, actor, now, note));
    if (to === 'RESOLVED') await this.outbox.add(em, IncidentResolved, changedBody(i), { customerId: i.customerId });
  }

  // setStatus() without the writes: the status and its timestamps set on the entity, and the
  // timeline entry that says so (for a caller that writes many incidents' entries at once; a move
  // to RESOLVED also needs its incident.resolved, which only setStatus() publishes).
  statusChange(i: IncidentEntity, to: IncidentStatusValue, actor: string, now: Date, note?: string): TimelineEntryInput {
    const from = i.status;
    const reopened = to === 'TRIAGED' && isFinished(from);
    i.status = to;
    if (to === 'RESOLVED') i.resolvedAt = now;
    if (to === 'CLOSED') i.closedAt = now;
    if (reopened) {
      i.resolvedAt = null;
      i.closedAt = null;
    }
    i.nextDueAt = nextDueAt(i);
    const verb = reopened ? `reopened (${from} -> TRIAGED)` : `${from} -> ${to}`;
    return { kind: 'STATUS', actor, text: note ? `${verb}: ${note}` : verb, at: now };
  }

  async publishSnapshot(em: EntityManager, incident: IncidentEntity): Promise<void> {
    await this.outbox.add(em, IncidentUpdated, await this.snapshot(em, incident), { customerId: incident.customerId });
  }

  // publishSnapshot() of many incidents: three statements, whatever their number.
  async publishSnapshots(em: EntityManager, incidents: readonly IncidentEntity[]): Promise<void> {
    if (!incidents.length) return;
    const ids = incidents.map((i) => i.id);
    const verdicts = await this.repo.verdictsOfMany(em, ids);
    const timelines = await this.timeline.latestOf(em, ids, TIMELINE_IN_SNAPSHOT, true);
    await this.outbox.addMany(
      em,
      IncidentUpdated,
      incidents.map((i) => ({ body: snapshotOf(i, verdicts.get(i.id) ?? [], timelines.get(i.id) ?? []), customerId: i.customerId })),
    );
  }

  async snapshot(em: EntityManager, i: IncidentEntity): Promise<IncidentUpdatedBody> {
    const verdicts = await this.repo.verdictsOf(em, i.id);
    // customer-visible entries only: the event reaches customers' webhooks and the analysis report
    const timeline = await this.timeline.latest(em, i.id, TIMELINE_IN_SNAPSHOT, true);
    return snapshotOf(i, verdicts, timeline);
  }
}

// The incident.updated body: the incident with its verdicts and latest customer-visible entries.
function snapshotOf(i: IncidentEntity, verdicts: readonly IncidentVerdictRow[], timeline: readonly TimelineRow[]): IncidentUpdatedBody {
  const alertIds = [...new Set(verdicts.flatMap((v) => v.alertIds))].slice(0, MAX_IDS);
  return {
    incidentId: i.id,
    version: i.version,
    kind: i.kind,
    severity: i.severity,
    status: i.status,
    title: i.title,
    openedAt: i.createdAt.toISOString(),
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    groupId: i.groupId,
    sensorId: i.sensorId,
    verdictIds: verdicts.map((v) => v.verdictId).slice(0, MAX_IDS),
    alertIds,
    sla: slaSnapshot(i),
    findings: { whatIsHappening: i.whatIsHappening, howDangerous: i.howDangerous, whatToDo: i.whatToDo },
    timeline: timeline.map((t) => ({ at: t.at.toISOString(), kind: t.kind, actor: t.actor, text: t.text })),
  };
}

export function slaSnapshot(i: IncidentEntity): SlaClockSnapshot[] {
  const out: SlaClockSnapshot[] = [];
  for (const clock of CLOCKS) {
    const c = CLOCK_COLUMNS[clock];
    const due = i[c.due];
    if (due) out.push({ clock, dueAt: due.toISOString(), metAt: i[c.met]?.toISOString() ?? null, breached: i[c.breached] });
  }
  return out;
}
