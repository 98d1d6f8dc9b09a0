import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@kanshi/calendar';
import { JobQueue } from '@kanshi/jobs';
import { createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { Lang } from '../common/report-format';
import { ReportingConfig } from '../config';
import { ReportMailer } from '../delivery/report-mailer';
import { RenderFailures } from '../render-failures/render-failures.service';
import { ReportFactsRepository } from '../report-data/report-facts.repository';
import { PdfStorage } from '../storage/pdf-storage';
import { MONTHLY_REPORT_PLANS } from './monthly-report-plans';
import { MonthlyReportJob, MonthlyReportsCatchUpJob, MonthlyReportsRunJob } from './monthly-report.job';
import { previousMonth, tokyoMonth } from './monthly-report.view';
import { MonthlyReportsRepository } from './monthly-reports.repository';
import { MonthlyReportsService } from './monthly-reports.service';

export const MONTHLY_REPORT_TIME_ZONE = 'Asia/Tokyo';

// The monthly run: on the 1st, last month's final report for every eligible customer, e-mailed to
// its contacts (one report per contact language). Once across replicas (a cron job), each report
// made and mailed once however often the run or a report's job is retried.
@Injectable()
export class MonthlyReportScheduler implements OnModuleInit {
  private readonly log = createLogger('MonthlyReportScheduler');

  constructor(
    private readonly ds: DataSource,
    private readonly service: MonthlyReportsService,
    private readonly repo: MonthlyReportsRepository,
    private readonly facts: ReportFactsRepository,
    private readonly storage: PdfStorage,
    private readonly mailer: ReportMailer,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) private readonly config: ReportingConfig,
    private readonly failures: RenderFailures,
  ) {}

  onModuleInit(): void {
    this.jobs.work(MonthlyReportsRunJob, ({ month }) => this.run(month ?? previousMonth(this.clock.today().slice(0, 7))));
    this.jobs.schedule(MonthlyReportsRunJob, this.config.MONTHLY_REPORT_CRON, { tz: MONTHLY_REPORT_TIME_ZONE });
    // A report whose every attempt failed is listed for provider staff (failedReportRenders).
    this.jobs.work(MonthlyReportJob, (data, job) =>
      this.failures.track(job, { jobKey: `MONTHLY:${data.customerId}:${data.month}:${data.language}`, kind: 'MONTHLY', customerId: data.customerId, request: data }, () => this.report(data)),
    );
    if (!this.config.MONTHLY_REPORT_CATCH_UP) return;
    this.jobs.work(MonthlyReportsCatchUpJob, () => this.catchUp());
    this.jobs.every(MonthlyReportsCatchUpJob, 3600_000, { atStart: true });
  }

  // The month just closed, for the eligible customers the run has not been queued for: nothing
  // when the 1st's run went through (or an earlier catch-up did), so it is cheap to run hourly.
  async catchUp(): Promise<number> {
    const month = previousMonth(this.clock.today().slice(0, 7));
    const done = await this.repo.customersRun(month);
    const missing = (await this.facts.customersOnPlans(MONTHLY_REPORT_PLANS)).filter((c) => !done.has(c));
    if (!missing.length) return 0;
    const queued = await this.run(month, new Set(missing));
    if (queued) this.log.warn({ month, customers: missing.length, queued }, 'the monthly run had not covered every customer for the month just closed (its schedule was missed); caught up');
    return queued;
  }

  // Queues one job per customer and language; a customer whose contract began after the month is
  // left out. `only`: just these customers (the catch-up).
  async run(month: string, only?: Set<string>): Promise<number> {
    const lastDay = tokyoMonth(month).days;
    let queued = 0;
    for (const customerId of await this.facts.customersOnPlans(MONTHLY_REPORT_PLANS)) {
      if (only && !only.has(customerId)) continue;
      const profile = await this.facts.profile(customerId);
      if (!profile || (profile.startDate && profile.startDate > `${month}-${String(lastDay).padStart(2, '0')}`)) continue;
      const languages = [...new Set(profile.contacts.filter((c) => c.email).map((c) => c.language))];
      for (const language of languages.length ? languages : (['ja'] as Lang[])) {
        await this.repo.ensureRun(customerId, month, language);
        await this.jobs.send(MonthlyReportJob, { customerId, month, language, deliver: true }, { singletonKey: `${customerId}/${month}/${language}` });
        queued++;
      }
    }
    this.log.info({ month, queued }, 'monthly reports queued');
    return queued;
  }

  async report(data: { customerId: string; month: string; language: Lang; deliver: boolean }): Promise<void> {
    if (!data.deliver) {
      await this.service.make(undefined, data.customerId, data.month, data.language);
      return;
    }
    await this.ds.transaction(async (em) => {
      const run = await this.repo.lock(em, data.customerId, data.month, data.language);
      if (!run) throw new Error(`no monthly report run for ${data.customerId} ${data.month} ${data.language}`);
      if (run.reportId) return;
      const report = await this.service.make(em, data.customerId, data.month, data.language, { run: true });
      await this.repo.setReport(em, data.customerId, data.month, data.language, report.id);
    });
    await this.ds.transaction(async (em) => {
      const run = await this.repo.lock(em, data.customerId, data.month, data.language);
      if (!run?.reportId || run.mailedAt) return;
      const profile = await this.facts.profile(data.customerId);
      const to = (profile?.contacts ?? []).filter((c) => c.email && c.language === data.language).map((c) => c.email!);
      if (!to.length) {
        this.log.warn({ customerId: data.customerId, month: data.month }, 'no contact with an e-mail address: the monthly report is kept, not mailed');
        await this.repo.setMailed(em, run, [], null, this.clock.now());
        return;
      }
      const report = await this.repo.report(run.reportId);
      const pdf = report && (await this.storage.get(report));
      if (!report || !pdf) throw new Error(`the PDF of monthly report ${run.reportId} is missing`);
      const { messageId } = await this.mailer.send({
        reportId: report.id,
        to,
        subject: `${report.title} — ${profile?.name ?? ''}`,
        text: data.language === 'ja' ? `${report.title}を添付いたします。ご確認ください。` : `Please find the ${report.title.toLowerCase()} attached.`,
        filename: `monthly-report-${data.month}.pdf`,
        pdf,
      });
      await this.repo.setMailed(em, run, to, messageId, this.clock.now());
    });
  }
}
