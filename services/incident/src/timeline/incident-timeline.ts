import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@kanshi/calendar';
import { TimelineRepository, TimelineRow } from './timeline.repository';
import { defaultVisibility, TimelineVisibility } from './timeline-visibility';

// What happened on an incident, when, and who did it. The kinds used in this service are listed in
// TIMELINE_KINDS; other modules may add their own (NOTIFICATION, CALL, ISOLATION, ...).
export const TIMELINE_KINDS = [
  'OPENED',
  'VERDICT',
  'SEVERITY',
  'STATUS',
  'ASSIGNMENT',
  'ESCALATION',
  'COMMENT',
  'FINDINGS',
  'MERGE',
  'DISPOSITION',
  'SLA',
  'ACKNOWLEDGED',
  'REPORT',
] as const;

export interface TimelineEntryInput {
  // What sort of entry (TIMELINE_KINDS or a module's own upper-case word).
  kind: string;
  // Who: a user's sub, or `system:<what>` for the service itself.
  actor: string;
  text: string;
  // Defaults to the service clock's now.
  at?: Date;
  // Defaults to the kind's (timeline-visibility.ts): INTERNAL for assignment, escalation, findings
  // and comments, CUSTOMER for everything else.
  visibility?: TimelineVisibility;
}

// The seam every module writes the timeline through: `append` writes the entry in the caller's
// transaction (`em`), so an entry exists exactly when the change it records does.
@Injectable()
export class IncidentTimeline {
  constructor(
    private readonly repo: TimelineRepository,
    private readonly clock: Clock,
  ) {}

  append(em: EntityManager, incidentId: string, entry: TimelineEntryInput): Promise<void> {
    return this.repo.insert(em, { incidentId, kind: entry.kind, actor: entry.actor, text: entry.text, at: entry.at ?? this.clock.now(), visibility: entry.visibility ?? defaultVisibility(entry.kind) });
  }

  // Many entries (of any incidents) in one statement, in the caller's transaction.
  appendMany(em: EntityManager, entries: readonly (TimelineEntryInput & { incidentId: string })[]): Promise<void> {
    const now = this.clock.now();
    return this.repo.insertMany(
      em,
      entries.map((e) => ({ incidentId: e.incidentId, kind: e.kind, actor: e.actor, text: e.text, at: e.at ?? now, visibility: e.visibility ?? defaultVisibility(e.kind) })),
    );
  }

  // latest() of many incidents in the caller's transaction, by incident.
  latestOf(em: EntityManager, incidentIds: readonly string[], limit = 500, customerView = false): Promise<Map<string, TimelineRow[]>> {
    return this.repo.latestOf(em, incidentIds, limit, customerView);
  }

  // customerView: only the entries a customer may read.
  latest(em: EntityManager, incidentId: string, limit = 500, customerView = false): Promise<TimelineRow[]> {
    return this.repo.latest(em, incidentId, limit, customerView);
  }

  forIncidents(incidentIds: readonly string[], limit = 500, customerView = false): Promise<Map<string, TimelineRow[]>> {
    return this.repo.forIncidents(incidentIds, limit, customerView);
  }

  moveAll(em: EntityManager, fromIncidentId: string, toIncidentId: string): Promise<void> {
    return this.repo.moveAll(em, fromIncidentId, toIncidentId);
  }
}
