import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IncidentKindValue, SocSeverity } from '@kanshi/events';
import { CustomerTerms } from '../customer-terms/customer-terms';
import { DutyRoster } from '../roster/roster.service';
import { IncidentTimeline } from '../timeline/incident-timeline';
import { IncidentEntity } from './incident.entity';
import { IncidentSla, termsOf } from './incident-sla';
import { IncidentWriter } from './incident-writer';

export interface IncidentDraft {
  customerId: string;
  kind: IncidentKindValue;
  severity: SocSeverity;
  title: string;
  description?: string;
  // a user's sub, or system:<what>
  openedBy: string;
  groupId?: string | null;
  sensorId?: string | null;
  // when what raised it arrived: the analysis clock runs from here
  arrivedAt: Date;
  // the OPENED timeline entry
  openingNote: string;
}

// Opens an incident in the caller's transaction: the analysis clock from the customer's terms,
// the tier-1 engineer on duty assigned, the opening on the timeline, incident.opened in the
// outbox. The caller adds what it knows (verdicts) and then publishes the snapshot
// (IncidentWriter.publishSnapshot).
@Injectable()
export class IncidentOpener {
  constructor(
    private readonly terms: CustomerTerms,
    private readonly roster: DutyRoster,
    private readonly sla: IncidentSla,
    private readonly writer: IncidentWriter,
    private readonly timeline: IncidentTimeline,
  ) {}

  async open(em: EntityManager, draft: IncidentDraft): Promise<IncidentEntity> {
    const terms = await this.terms.forCustomer(draft.customerId, em);
    const values: Partial<IncidentEntity> = {
      customerId: draft.customerId,
      kind: draft.kind,
      severity: draft.severity,
      title: draft.title.slice(0, 300),
      description: draft.description ?? '',
      openedBy: draft.openedBy,
      groupId: draft.groupId ?? null,
      sensorId: draft.sensorId ?? null,
      createdAt: draft.arrivedAt,
    };
    this.sla.startAnalysis(values, termsOf(terms), draft.arrivedAt);
    const onDuty = await this.roster.onDuty(em, 1, draft.arrivedAt);
    if (onDuty) values.tier1Assignee = onDuty.person;
    const incident = await this.writer.insert(em, values);
    await this.timeline.append(em, incident.id, { kind: 'OPENED', actor: draft.openedBy, text: draft.openingNote, at: draft.arrivedAt });
    if (onDuty) await this.timeline.append(em, incident.id, { kind: 'ASSIGNMENT', actor: 'system:roster', text: `tier 1: ${onDuty.name} (${onDuty.person}), on duty`, at: draft.arrivedAt });
    return incident;
  }
}

const RANK: Record<SocSeverity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2 };
export const higher = (a: SocSeverity, b: SocSeverity): boolean => RANK[a] > RANK[b];
