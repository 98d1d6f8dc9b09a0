import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IncidentStatusValue, SocSeverity, VerdictIssuedV2Body } from '@kanshi/events';
import { IncidentEntity } from './incident.entity';

// How a severity was decided: `automatic` for analysis' own verdict (a new incident, or a later
// verdict raising it), false for an analyst (confirmSeverity, or a verdict overridden in analysis).
export interface SeverityDecision {
  severity: SocSeverity;
  automatic: boolean;
  // a user's sub, or system:<what>
  actor: string;
  // the previous severity; null for a new incident
  previous: SocSeverity | null;
  // The verdict that decided it (automatic verdicts, raises, overrides): its reasons and actions
  // in both languages, for the customer's notification. Absent for an analyst's confirmSeverity.
  verdict?: VerdictIssuedV2Body;
}

export interface StatusChange {
  from: IncidentStatusValue | null;
  to: IncidentStatusValue;
  actor: string;
}

export type SeverityDecidedHandler = (em: EntityManager, incident: IncidentEntity, decision: SeverityDecision) => Promise<void>;
// The same handler for many decisions at once (a batch of verdicts), in the order they were made.
export type SeverityDecidedManyHandler = (em: EntityManager, decisions: readonly { incident: IncidentEntity; decision: SeverityDecision }[]) => Promise<void>;
export type StatusChangedHandler = (em: EntityManager, incident: IncidentEntity, change: StatusChange) => Promise<void>;
export type AcknowledgedHandler = (em: EntityManager, incident: IncidentEntity, actor: string, at: Date) => Promise<void>;

// The in-process event point of the incident workflow. Other modules (notifications, isolation)
// register handlers in their onModuleInit; they run in the transaction of the change, after the
// incident row was written (so `incident.version` is the new one), in registration order. A
// handler that throws rolls the whole change back (and a consumer retries it). A handler that
// changes the incident itself saves it through IncidentWriter.save (another version, another
// snapshot), never by writing the row directly.
@Injectable()
export class IncidentLifecycle {
  private readonly severityHandlers: { one: SeverityDecidedHandler; many?: SeverityDecidedManyHandler }[] = [];
  private readonly statusHandlers: StatusChangedHandler[] = [];
  private readonly acknowledgedHandlers: AcknowledgedHandler[] = [];

  // `many`, when given, takes a batch's decisions in one call (severityDecidedMany); without it the
  // handler is called once per decision.
  onSeverityDecided(handler: SeverityDecidedHandler, many?: SeverityDecidedManyHandler): void {
    this.severityHandlers.push({ one: handler, many });
  }

  onStatusChanged(handler: StatusChangedHandler): void {
    this.statusHandlers.push(handler);
  }

  // The customer acknowledged the incident (the first time).
  onAcknowledged(handler: AcknowledgedHandler): void {
    this.acknowledgedHandlers.push(handler);
  }

  async severityDecided(em: EntityManager, incident: IncidentEntity, decision: SeverityDecision): Promise<void> {
    for (const h of this.severityHandlers) await h.one(em, incident, decision);
  }

  // Many decisions (the verdict intake's batch), after their incidents were written: each handler
  // in registration order takes all of them, in the order they were made.
  async severityDecidedMany(em: EntityManager, decisions: readonly { incident: IncidentEntity; decision: SeverityDecision }[]): Promise<void> {
    if (!decisions.length) return;
    for (const h of this.severityHandlers) {
      if (h.many) await h.many(em, decisions);
      else for (const d of decisions) await h.one(em, d.incident, d.decision);
    }
  }

  async statusChanged(em: EntityManager, incident: IncidentEntity, change: StatusChange): Promise<void> {
    for (const h of this.statusHandlers) await h(em, incident, change);
  }

  async acknowledged(em: EntityManager, incident: IncidentEntity, actor: string, at: Date): Promise<void> {
    for (const h of this.acknowledgedHandlers) await h(em, incident, actor, at);
  }
}
