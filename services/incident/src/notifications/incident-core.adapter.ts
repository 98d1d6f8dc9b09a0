import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerTerms } from '../customer-terms/customer-terms';
import { IncidentSla } from '../incidents/incident-sla';
import { IncidentWriter } from '../incidents/incident-writer';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { DutyRoster } from '../roster/roster.service';
import { IncidentTimeline } from '../timeline/incident-timeline';
import { IncidentCorePort, NotifyTerms, TimelineNote } from './incident-core.port';

// The incident core behind IncidentCorePort: its timeline, its first-report clock, the contract
// read model and the duty roster (the tier-1 engineer on duty makes the calls).
@Injectable()
export class IncidentCoreAdapter extends IncidentCorePort {
  constructor(
    private readonly timeline: IncidentTimeline,
    private readonly sla: IncidentSla,
    private readonly customerTerms: CustomerTerms,
    private readonly roster: DutyRoster,
    private readonly incidents: IncidentsRepository,
    private readonly writer: IncidentWriter,
  ) {
    super();
  }

  async terms(em: EntityManager, customerId: string): Promise<NotifyTerms | null> {
    const t = await this.customerTerms.forCustomer(customerId, em);
    return t && t.status !== 'terminated' ? { plan: t.plan, contacts: t.escalationContacts } : null;
  }

  appendTimeline(em: EntityManager, incidentId: string, note: TimelineNote): Promise<void> {
    return this.timeline.append(em, incidentId, note);
  }

  override async appendTimelineMany(em: EntityManager, notes: readonly (TimelineNote & { incidentId: string })[]): Promise<void> {
    await this.timeline.appendMany(em, notes);
  }

  async stopFirstReport(em: EntityManager, incidentId: string, at: Date): Promise<void> {
    await this.sla.stopFirstReport(em, incidentId, at);
  }

  // The incident is locked first: two mails of one incident accepted at once then wait for each
  // other, where writing the timeline (a key-share lock on the incident) before locking it would
  // deadlock them. One save: one version and one snapshot for the clock and the status.
  override async notificationDelivered(em: EntityManager, incidentId: string, at: Date, note: TimelineNote): Promise<void> {
    const i = await this.incidents.lock(em, incidentId);
    await this.timeline.append(em, incidentId, note);
    if (!i) return;
    const stopped = await this.sla.stopFirstReportOf(em, i, at);
    const notify = i.status === 'NEW' || i.status === 'TRIAGED';
    if (notify) await this.writer.setStatus(em, i, 'NOTIFIED', 'system:notifications', at, 'the customer was notified');
    if (stopped || notify) await this.writer.save(em, i);
  }

  async markNotified(em: EntityManager, incidentId: string, at: Date): Promise<void> {
    const i = await this.incidents.lock(em, incidentId);
    if (!i || (i.status !== 'NEW' && i.status !== 'TRIAGED')) return;
    await this.writer.setStatus(em, i, 'NOTIFIED', 'system:notifications', at, 'the customer was notified');
    await this.writer.save(em, i);
  }

  async operatorOnDuty(em: EntityManager, at: Date): Promise<string | null> {
    return (await this.roster.onDuty(em, 1, at))?.person ?? null;
  }
}
