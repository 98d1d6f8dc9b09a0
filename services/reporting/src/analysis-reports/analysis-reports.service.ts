import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, canSeeCustomer, Principal, scopeOf } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { AnalysisReportEdition, AnalysisReportRequestedBody, ReportSent } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import { TenantDirectory } from '@kanshi/platform';
import { Lang } from '../common/report-format';
import { ReportMailer } from '../delivery/report-mailer';
import { ReportFactsRepository } from '../report-data/report-facts.repository';
import { RenderFailures } from '../render-failures/render-failures.service';
import { PdfRenderer } from '../rendering/pdf-renderer';
import { RenderError } from '../rendering/render.errors';
import { StorageError } from '../storage/storage.errors';
import { ReportEntity } from '../reports/report.entity';
import { ReportStore } from '../reports/report-store';
import { PdfStorage } from '../storage/pdf-storage';
import { analysisReportHtml, analysisReportTitle } from './analysis-report.template';
import { buildAnalysisReportView } from './analysis-report.view';
import { AnalysisReportError } from './analysis-reports.errors';
import { AnalysisReportsPermissions } from './analysis-reports.permissions';
import { AnalysisReportRequest, AnalysisReportsRepository } from './analysis-reports.repository';

// Makes (and, when approved, mails) the analysis report of one request. Retried with back-off:
// the incident's snapshot may still be on its way, the renderer or the relay may fail. Each step
// is done once per request: a rendered report is not rendered again, a sent one not sent again.
export const AnalysisReportJob = defineJob<{ requestId: string }>('analysis-report', {
  retryLimit: 6,
  retryDelaySeconds: 10,
  retryBackoff: true,
  expireInSeconds: 600,
});

@Injectable()
export class AnalysisReportsService implements OnModuleInit {
  private readonly log = createLogger('AnalysisReportsService');

  constructor(
    private readonly ds: DataSource,
    private readonly repo: AnalysisReportsRepository,
    private readonly facts: ReportFactsRepository,
    private readonly renderer: PdfRenderer,
    private readonly store: ReportStore,
    private readonly storage: PdfStorage,
    private readonly mailer: ReportMailer,
    private readonly outbox: Outbox,
    private readonly directory: TenantDirectory,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly failures: RenderFailures,
  ) {}

  onModuleInit(): void {
    // A request whose every attempt failed is listed for provider staff (failedReportRenders).
    this.jobs.work(AnalysisReportJob, async ({ requestId }, job) => {
      const req = await this.repo.find(requestId);
      await this.failures.track(job, { jobKey: `ANALYSIS:${requestId}`, kind: 'ANALYSIS', customerId: req?.customerId ?? null, subjectId: req?.incidentId ?? null, request: { requestId } }, () =>
        this.process(requestId),
      );
    });
  }

  // Through the API: a new version of the incident's report in the edition asked for, in the
  // customer's language (its first contact's), not mailed.
  async generate(principal: Principal, incidentId: string, edition: AnalysisReportEdition): Promise<ReportEntity> {
    authorize(principal, AnalysisReportsPermissions.generateAnalysisReport);
    const incident = await this.facts.incident(incidentId);
    if (!incident || !canSeeCustomer(scopeOf(principal), await this.directory.lookup(incident.customerId))) {
      throw new AnalysisReportError('INCIDENT_NOT_FOUND', `incident ${incidentId} not found`, 'incidentId');
    }
    const profile = await this.facts.profile(incident.customerId);
    const requestId = randomUUID();
    await this.ds.transaction((em) =>
      this.repo.insertRequest(
        em,
        { requestId, customerId: incident.customerId, incidentId, edition, language: profile?.contacts[0]?.language ?? 'ja', approvedBy: null, recipients: [] },
        this.clock.now(),
      ),
    );
    try {
      return (await this.process(requestId))!;
    } catch (err) {
      if (StorageError.is(err)) {
        await this.jobs.send(AnalysisReportJob, { requestId }, { singletonKey: requestId });
        throw new AnalysisReportError('STORAGE_RETRYING', `the report could not be stored now (${err.message}); it is retried and will appear in reports`);
      }
      if (!RenderError.is(err)) throw err;
      await this.jobs.send(AnalysisReportJob, { requestId }, { singletonKey: requestId });
      throw new AnalysisReportError('RENDER_RETRYING', `the report could not be rendered now (${err.message}); it is retried and will appear in reports`);
    }
  }

  // incident.analysis-report.requested: kept with the event (the inbox makes a redelivery a
  // no-op), then made by a job a moment later, once this transaction has committed.
  async requested(em: EntityManager, customerId: string, body: AnalysisReportRequestedBody, requestedAt: Date): Promise<void> {
    await this.repo.insertRequest(
      em,
      { requestId: body.requestId, customerId, incidentId: body.incidentId, edition: body.edition, language: body.language, approvedBy: body.approvedBy ?? null, recipients: body.recipients },
      requestedAt,
    );
    await this.jobs.send(AnalysisReportJob, { requestId: body.requestId }, { singletonKey: body.requestId, startAfter: 1 });
  }

  // Renders the request's report unless done, then mails it if approved and not yet sent.
  async process(requestId: string): Promise<ReportEntity | null> {
    let pdf: Buffer | undefined;
    const report = await this.ds.transaction(async (em) => {
      const req = await this.repo.lock(em, requestId);
      if (!req) throw new Error(`analysis report request ${requestId} is not committed yet`);
      if (req.reportId) return this.repo.report(req.reportId);
      const made = await this.render(req);
      pdf = made.pdf;
      const saved = await this.store.saveVersion(em, {
        customerId: req.customerId,
        kind: 'ANALYSIS',
        subjectId: req.incidentId,
        edition: req.edition,
        title: made.title,
        language: req.language,
        provisional: false,
        pdf: made.pdf,
        requestId: req.requestId,
        metadata: { requestId: req.requestId, verdicts: made.verdicts, incidentVersion: made.incidentVersion },
      });
      await this.repo.setReport(em, requestId, saved.id);
      return saved;
    });
    if (!report) throw new Error(`report of request ${requestId} is missing`);
    await this.mailIfApproved(requestId, report, pdf);
    return report;
  }

  private async render(req: AnalysisReportRequest): Promise<{ pdf: Buffer; title: string; verdicts: number; incidentVersion: number }> {
    const incident = await this.facts.incident(req.incidentId);
    if (!incident || incident.customerId !== req.customerId) throw new Error(`incident ${req.incidentId} has not reached reporting yet`);
    const s = incident.snapshot;
    const [verdicts, isolations, profile] = await Promise.all([
      this.facts.verdictsOfIncident(req.customerId, s.verdictIds, s.groupId ?? null),
      this.facts.isolationsOfIncident(req.incidentId),
      this.facts.profile(req.customerId),
    ]);
    const view = buildAnalysisReportView({
      lang: req.language as Lang,
      edition: req.edition,
      customerName: profile?.name ?? '',
      generatedAt: this.clock.now(),
      incident: s,
      verdicts,
      isolations,
    });
    const title = analysisReportTitle(view);
    const pdf = await this.renderer.render(analysisReportHtml(view), { headerText: title });
    return { pdf, title, verdicts: verdicts.length, incidentVersion: s.version };
  }

  private async mailIfApproved(requestId: string, report: ReportEntity, rendered: Buffer | undefined): Promise<void> {
    await this.ds.transaction(async (em) => {
      const req = await this.repo.lock(em, requestId);
      if (!req?.approvedBy || req.sentAt || req.recipients.length === 0) return;
      const pdf = rendered ?? (await this.storage.get(report));
      if (!pdf) throw new Error(`the PDF of report ${report.id} is missing`);
      const ja = req.language === 'ja';
      const { messageId } = await this.mailer.send({
        reportId: report.id,
        to: req.recipients,
        subject: report.title,
        text: ja ? `${report.title}\n\n調査報告書を添付いたします。ご確認ください。` : `${report.title}\n\nPlease find the analysis report attached.`,
        filename: `analysis-report-${req.edition.toLowerCase()}-${req.incidentId.slice(0, 8)}.pdf`,
        pdf,
      });
      const sentAt = this.clock.now();
      await this.repo.setSent(em, requestId, messageId, sentAt);
      await this.outbox.add(
        em,
        ReportSent,
        { reportId: report.id, kind: 'ANALYSIS', subjectId: req.incidentId, recipients: req.recipients, messageId, sentAt: sentAt.toISOString() },
        { customerId: req.customerId },
      );
      this.log.info({ requestId, reportId: report.id, recipients: req.recipients.length }, 'analysis report mailed');
    });
  }
}
