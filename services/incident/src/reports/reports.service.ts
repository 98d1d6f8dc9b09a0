import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { AnalysisReportEdition, AnalysisReportRequested, EventEnvelope, ReportReadyBody, ReportSentBody } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { CustomerTerms } from '../customer-terms/customer-terms';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentError } from '../incidents/incidents.errors';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { IncidentSla } from '../incidents/incident-sla';
import { IncidentWriter } from '../incidents/incident-writer';
import { IncidentTimeline } from '../timeline/incident-timeline';
import { ReportsPermissions } from './reports.permissions';
import { ReportsRepository } from './reports.repository';

// Incident asks reporting for analysis reports (incident.analysis-report.requested.v1). Only an
// approved request is mailed by reporting, to the contacts of the customer's terms in their
// language; reporting.report.sent of the DETAILED one stops the detailed-report clock.
@Injectable()
export class ReportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ReportsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly writer: IncidentWriter,
    private readonly timeline: IncidentTimeline,
    private readonly terms: CustomerTerms,
    private readonly sla: IncidentSla,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  // A draft for the analysts (not mailed).
  async request(principal: Principal, incidentId: string, edition: AnalysisReportEdition): Promise<IncidentEntity> {
    authorize(principal, ReportsPermissions.requestReports);
    return this.publish(principal, incidentId, edition, null);
  }

  // A tier-2 analyst approves the detailed report: reporting builds it and mails it.
  async approveDetailed(principal: Principal, incidentId: string): Promise<IncidentEntity> {
    authorize(principal, ReportsPermissions.approveReports);
    return this.publish(principal, incidentId, 'DETAILED', principal.subject);
  }

  private publish(principal: Principal, incidentId: string, edition: AnalysisReportEdition, approvedBy: string | null): Promise<IncidentEntity> {
    return this.ds.transaction(async (em) => {
      const incident = await this.incidents.visible(em, scopeOf(principal), incidentId);
      if (!incident) throw new IncidentError('INCIDENT_NOT_FOUND', `incident ${incidentId} not found`, 'incidentId');
      const now = this.clock.now();
      const terms = await this.terms.forCustomer(incident.customerId, em);
      const contacts = (terms?.escalationContacts ?? []).filter((c) => c.email);
      const requestId = randomUUID();
      await this.repo.insert(em, { requestId, incidentId, edition, approvedBy, requestedBy: principal.subject, requestedAt: now });
      await this.outbox.add(
        em,
        AnalysisReportRequested,
        { requestId, incidentId, edition, approvedBy, language: contacts[0]?.language ?? 'ja', recipients: contacts.map((c) => c.email!).slice(0, 20) },
        { customerId: incident.customerId },
      );
      const what = approvedBy ? `${edition.toLowerCase()} analysis report approved for mailing to ${contacts.length} contact(s)` : `${edition.toLowerCase()} analysis report requested (draft)`;
      await this.timeline.append(em, incidentId, { kind: 'REPORT', actor: principal.subject, text: what, at: now });
      return this.writer.save(em, incident);
    });
  }

  // reporting.report.ready.v1 for one of our requests: on the timeline.
  async ready(em: EntityManager, e: EventEnvelope<ReportReadyBody>): Promise<void> {
    if (e.body.kind !== 'ANALYSIS' || !e.body.requestId) return;
    const row = await this.repo.markReady(em, e.body.requestId, e.body.reportId, new Date(e.occurredAt));
    if (!row) return;
    await this.touch(em, row.incidentId, `${row.edition.toLowerCase()} analysis report ready (report ${e.body.reportId})`, new Date(e.occurredAt));
  }

  // reporting.report.sent.v1: "report mailed" on the timeline; the DETAILED one stops its clock.
  async sent(em: EntityManager, e: EventEnvelope<ReportSentBody>): Promise<void> {
    if (e.body.kind !== 'ANALYSIS') return;
    const at = new Date(e.body.sentAt);
    const row = await this.repo.markSent(em, e.body.reportId, at);
    const incidentId = row?.incidentId ?? e.body.subjectId;
    if (!incidentId) return;
    const edition = row ? `${row.edition.toLowerCase()} ` : '';
    await this.touch(em, incidentId, `${edition}analysis report mailed to ${e.body.recipients.join(', ')}`, at);
    if (row?.edition === 'DETAILED') await this.sla.stopDetailedReport(em, incidentId, at, 'system:reporting');
  }

  private async touch(em: EntityManager, incidentId: string, text: string, at: Date): Promise<void> {
    const incident = await this.incidents.lock(em, incidentId);
    if (!incident) return;
    await this.timeline.append(em, incidentId, { kind: 'REPORT', actor: 'system:reporting', text, at });
    await this.writer.save(em, incident);
  }
}
