import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IncidentKindValue, SocSeverity } from '@kanshi/events';
import { CustomerTerms } from '../customer-terms/customer-terms';
import { DutyRoster } from '../roster/roster.service';
import { SlaTerms } from '../sla/sla-policy';
import { IncidentTimeline, TimelineEntryInput } from '../timeline/incident-timeline';
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
    const values = this.valuesOf(draft, termsOf(terms));
    const onDuty = await this.roster.onDuty(em, 1, draft.arrivedAt);
    if (onDuty) values.tier1Assignee = onDuty.person;
    const incident = await this.writer.insert(em, values);
    await this.timeline.append(em, incident.id, { kind: 'OPENED', actor: draft.openedBy, text: draft.openingNote, at: draft.arrivedAt });
    if (onDuty) await this.timeline.append(em, incident.id, { kind: 'ASSIGNMENT', actor: 'system:roster', text: `tier 1: ${onDuty.name} (${onDuty.person}), on duty`, at: draft.arrivedAt });
    return incident;
  }

  // open() of many incidents that arrived at the same time (a batch of verdicts): one read of the
  // terms per customer and one of the roster, the rows and their incident.opened in a statement
  // each. The OPENED and ASSIGNMENT entries are returned, not written: the caller appends them with
  // its own entries in one statement. `ids`: the new incidents' ids, chosen by the caller.
  async openMany(em: EntityManager, drafts: readonly (IncidentDraft & { id: string })[], arrivedAt: Date): Promise<{ incidents: IncidentEntity[]; timeline: (TimelineEntryInput & { incidentId: string })[] }> {
    if (!drafts.length) return { incidents: [], timeline: [] };
    const terms = new Map<string, SlaTerms>();
    for (const customerId of new Set(drafts.map((d) => d.customerId))) terms.set(customerId, termsOf(await this.terms.forCustomer(customerId, em)));
    const onDuty = await this.roster.onDuty(em, 1, arrivedAt);
    const incidents = await this.writer.insertMany(
      em,
      drafts.map((d) => {
        const values = this.valuesOf({ ...d, arrivedAt }, terms.get(d.customerId)!);
        values.id = d.id;
        if (onDuty) values.tier1Assignee = onDuty.person;
        return values;
      }),
    );
    const timeline: (TimelineEntryInput & { incidentId: string })[] = [];
    for (const d of drafts) {
      timeline.push({ incidentId: d.id, kind: 'OPENED', actor: d.openedBy, text: d.openingNote, at: arrivedAt });
      if (onDuty) timeline.push({ incidentId: d.id, kind: 'ASSIGNMENT', actor: 'system:roster', text: `tier 1: ${onDuty.name} (${onDuty.person}), on duty`, at: arrivedAt });
    }
    return { incidents, timeline };
  }

  private valuesOf(draft: IncidentDraft, terms: SlaTerms): Partial<IncidentEntity> {
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
    this.sla.startAnalysis(values, terms, draft.arrivedAt);
    return values;
  }
}

const RANK: Record<SocSeverity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2 };
export const higher = (a: SocSeverity, b: SocSeverity): boolean => RANK[a] > RANK[b];
