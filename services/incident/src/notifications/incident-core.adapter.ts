import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerTerms } from '../customer-terms/customer-terms';
import { IncidentSla } from '../incidents/incident-sla';
import { IncidentWriter } from '../incidents/incident-writer';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { DutyRoster } from '../roster/roster.service';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentTimeline, TimelineEntryInput } from '../timeline/incident-timeline';
import { Delivery, IncidentCorePort, NotifyTerms, TimelineNote } from './incident-core.port';

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

  // One lock of all their incidents (in the order of their ids, so two batches sharing incidents
  // wait for each other), then in the deliveries' order what notificationDelivered() does one by
  // one: each note, and at an incident's first delivery its clock stopped and NEW/TRIAGED ->
  // NOTIFIED. Written with a fixed number of statements: the entries, the changed rows, their
  // snapshots (one each, with their new versions).
  override async notificationsDelivered(em: EntityManager, deliveries: readonly Delivery[]): Promise<void> {
    if (!deliveries.length) return;
    const locked = new Map((await this.incidents.lockMany(em, deliveries.map((d) => d.incidentId))).map((i) => [i.id, i]));
    const entries: (TimelineEntryInput & { incidentId: string })[] = [];
    const changed = new Map<string, IncidentEntity>();
    for (const d of deliveries) {
      entries.push({ incidentId: d.incidentId, ...d.note, at: d.at });
      const i = locked.get(d.incidentId);
      if (!i) continue;
      const stopped = this.sla.firstReportStopped(i, d.at);
      if (stopped) entries.push({ incidentId: i.id, ...stopped });
      if (i.status === 'NEW' || i.status === 'TRIAGED') entries.push({ incidentId: i.id, ...this.writer.statusChange(i, 'NOTIFIED', 'system:notifications', d.at, 'the customer was notified') });
      else if (!stopped) continue;
      changed.set(i.id, i);
    }
    await this.timeline.appendMany(em, entries);
    await this.incidents.saveNotified(em, [...changed.values()]);
    await this.writer.publishSnapshots(em, [...changed.values()]);
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
