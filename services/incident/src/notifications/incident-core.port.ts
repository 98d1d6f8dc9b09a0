import { EntityManager } from 'typeorm';
import { EscalationContact, PlanCode } from '@kanshi/events';

// What notifications need from the incident core (timeline, SLA clocks, the contract read model,
// the duty roster). The core provides it (incident-core.adapter.ts); unit specs fake it.
export interface NotifyTerms {
  plan: PlanCode;
  // In the contract's order (EscalationContact.order).
  contacts: EscalationContact[];
}

export interface TimelineNote {
  kind: string;
  actor: string;
  text: string;
}

// A notification delivered at `at` (the relay accepted the mail), and what the timeline says.
export interface Delivery {
  incidentId: string;
  at: Date;
  note: TimelineNote;
}

export abstract class IncidentCorePort {
  // The customer's active contract terms, or null when it has none.
  abstract terms(em: EntityManager, customerId: string): Promise<NotifyTerms | null>;
  abstract appendTimeline(em: EntityManager, incidentId: string, note: TimelineNote): Promise<void>;
  // Many notes (of any incidents), in order; the core writes them in one statement.
  async appendTimelineMany(em: EntityManager, notes: readonly (TimelineNote & { incidentId: string })[]): Promise<void> {
    for (const { incidentId, ...note } of notes) await this.appendTimeline(em, incidentId, note);
  }
  // The first report went out (a mail accepted by the relay, a call answered).
  abstract stopFirstReport(em: EntityManager, incidentId: string, at: Date): Promise<void>;
  // The customer has been told (a mail accepted, a call answered): a NEW or TRIAGED incident
  // becomes NOTIFIED.
  abstract markNotified(em: EntityManager, incidentId: string, at: Date): Promise<void>;
  // A notification was delivered (a mail accepted by the relay): its note on the timeline, the
  // first-report clock stopped, a NEW or TRIAGED incident NOTIFIED. The core takes the incident's
  // lock before it writes anything of it, and saves it once.
  async notificationDelivered(em: EntityManager, incidentId: string, at: Date, note: TimelineNote): Promise<void> {
    await this.appendTimeline(em, incidentId, note);
    await this.stopFirstReport(em, incidentId, at);
    await this.markNotified(em, incidentId, at);
  }
  // notificationDelivered() of many notifications (of any incidents), in the order given, with the
  // same outcome as one after the other; the core locks their incidents together (in the order of
  // their ids) and writes each kind of row in one statement.
  async notificationsDelivered(em: EntityManager, deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) await this.notificationDelivered(em, d.incidentId, d.at, d.note);
  }
  // The operator on duty at `at` (a subject), or null when the roster names nobody.
  abstract operatorOnDuty(em: EntityManager, at: Date): Promise<string | null>;
}
