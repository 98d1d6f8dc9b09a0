import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { authorize, Principal } from '@kanshi/auth';
import { Clock } from '@kanshi/calendar';
import { JobQueue } from '@kanshi/jobs';
import { TenantDirectory } from '@kanshi/platform';
import { Lang } from '../common/report-format';
import { CustomerProfile } from '../report-data/report-facts';
import { ReportFactsRepository } from '../report-data/report-facts.repository';
import { uptimeOf } from '../report-data/uptime';
import { PdfRenderer } from '../rendering/pdf-renderer';
import { RenderError } from '../rendering/render.errors';
import { StorageError } from '../storage/storage.errors';
import { ReportEntity } from '../reports/report.entity';
import { ReportStore } from '../reports/report-store';
import { MONTHLY_REPORT_PLANS } from './monthly-report-plans';
import { monthlyReportDocument, monthlyReportTitle } from './monthly-report.template';
import { buildMonthlyReportView, previousMonth, tokyoMonth } from './monthly-report.view';
import { MonthlyReportJob } from './monthly-report.job';
import { MonthlyReportError } from './monthly-reports.errors';
import { MonthlyReportsPermissions } from './monthly-reports.permissions';

// Monthly reports: what goes into one, the rules for asking for one, and making one.
@Injectable()
export class MonthlyReportsService {
  constructor(
    private readonly facts: ReportFactsRepository,
    private readonly renderer: PdfRenderer,
    private readonly store: ReportStore,
    private readonly directory: TenantDirectory,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  // Through the API: the month's report in the customer's language (its first contact's); the
  // month in progress gives a provisional one, marked so on every page.
  async generate(principal: Principal, customerId: string, month: string): Promise<ReportEntity> {
    authorize(principal, MonthlyReportsPermissions.generateMonthlyReport);
    await this.directory.visibleCustomerOrThrow(principal, customerId);
    const profile = await this.facts.profile(customerId);
    const current = this.clock.today().slice(0, 7);
    this.checkMonth(profile, month, current);
    const language = profile?.contacts[0]?.language ?? 'ja';
    try {
      return await this.make(undefined, customerId, month, language);
    } catch (err) {
      if (StorageError.is(err)) {
        await this.jobs.send(MonthlyReportJob, { customerId, month, language, deliver: false }, { singletonKey: `${customerId}/${month}/${language}/api` });
        throw new MonthlyReportError('STORAGE_RETRYING', `the report could not be stored now (${err.message}); it is retried and will appear in reports`);
      }
      if (!RenderError.is(err)) throw err;
      await this.jobs.send(MonthlyReportJob, { customerId, month, language, deliver: false }, { singletonKey: `${customerId}/${month}/${language}/api` });
      throw new MonthlyReportError('RENDER_RETRYING', `the report could not be rendered now (${err.message}); it is retried and will appear in reports`);
    }
  }

  checkMonth(profile: CustomerProfile | null, month: string, currentMonth: string): void {
    if (!profile || !profile.plans.some((p) => MONTHLY_REPORT_PLANS.includes(p as (typeof MONTHLY_REPORT_PLANS)[number]))) {
      throw new MonthlyReportError('NOT_ON_A_MONTHLY_REPORT_PLAN', 'monthly reports come with the security monitoring, MDR and integrated management plans; this customer has none of them', 'customerId');
    }
    if (month > currentMonth) throw new MonthlyReportError('MONTH_IN_FUTURE', `month ${month} has not begun yet (the month in progress is ${currentMonth})`, 'month');
    if (profile.startDate && month < profile.startDate.slice(0, 7)) {
      throw new MonthlyReportError('MONTH_BEFORE_CONTRACT', `month ${month} is before the contract started on ${profile.startDate}`, 'month');
    }
  }

  // Renders and keeps a new version of the month's report; provisional while the month is in progress.
  async make(em: EntityManager | undefined, customerId: string, month: string, language: Lang, metadata: Record<string, unknown> = {}): Promise<ReportEntity> {
    const now = this.clock.now();
    const provisional = month === this.clock.today().slice(0, 7);
    const m = tokyoMonth(month);
    const prev = tokyoMonth(previousMonth(month));
    const until = provisional ? now : m.to;
    const [profile, stats, previous, incidents, sensors, changes, maintenance, workOrders, isolations] = await Promise.all([
      this.facts.profile(customerId),
      this.facts.verdictStatistics(customerId, m.firstDay, m.nextFirstDay),
      this.facts.verdictStatistics(customerId, prev.firstDay, prev.nextFirstDay),
      this.facts.incidentsOpened(customerId, m.from, m.to),
      this.facts.sensors(customerId),
      this.facts.livenessChanges(customerId, m.from, until),
      this.facts.maintenanceWindows(customerId, m.from, m.to),
      this.facts.workOrders(customerId, m.from, m.to),
      this.facts.isolationsBetween(customerId, m.from, m.to),
    ]);
    const view = buildMonthlyReportView({
      lang: language,
      month,
      customerName: profile?.name ?? '',
      provisional,
      generatedAt: now,
      stats,
      previous,
      incidents,
      uptime: uptimeOf(sensors, changes, m.from, until),
      maintenance,
      workOrders,
      isolations,
    });
    const title = monthlyReportTitle(view);
    const doc = monthlyReportDocument(view);
    const pdf = await this.renderer.render(doc.html, doc.options);
    return this.store.saveVersion(em, {
      customerId,
      kind: 'MONTHLY',
      period: month,
      title,
      language,
      provisional,
      pdf,
      metadata: { ...metadata, verdicts: stats.total, incidents: incidents.length, sensors: sensors.length, until: until.toISOString() },
    });
  }
}
