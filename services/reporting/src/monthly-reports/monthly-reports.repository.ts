import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReportEntity } from '../reports/report.entity';

export interface MonthlyReportRun {
  customerId: string;
  month: string;
  language: 'ja' | 'en';
  reportId: string | null;
  mailedAt: Date | null;
}

// The scheduled (final) monthly reports: one per customer, month and contact language, made and mailed once.
@Injectable()
export class MonthlyReportsRepository {
  constructor(private readonly ds: DataSource) {}

  async ensureRun(customerId: string, month: string, language: 'ja' | 'en'): Promise<void> {
    await this.ds.query(`INSERT INTO reporting.monthly_report_run (customer_id, month, language) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [customerId, month, language]);
  }

  // The customers the monthly run was queued for in `month` (any language).
  async customersRun(month: string): Promise<Set<string>> {
    const rows: { customer_id: string }[] = await this.ds.query(`SELECT DISTINCT customer_id FROM reporting.monthly_report_run WHERE month = $1`, [month]);
    return new Set(rows.map((r) => r.customer_id));
  }

  async lock(em: EntityManager, customerId: string, month: string, language: string): Promise<MonthlyReportRun | null> {
    const [r] = await em.query(`SELECT * FROM reporting.monthly_report_run WHERE customer_id = $1 AND month = $2 AND language = $3 FOR UPDATE`, [customerId, month, language]);
    return r ? { customerId: r.customer_id, month: r.month, language: r.language, reportId: r.report_id, mailedAt: r.mailed_at } : null;
  }

  async setReport(em: EntityManager, customerId: string, month: string, language: string, reportId: string): Promise<void> {
    await em.query(`UPDATE reporting.monthly_report_run SET report_id = $4 WHERE customer_id = $1 AND month = $2 AND language = $3`, [customerId, month, language, reportId]);
  }

  async setMailed(em: EntityManager, run: MonthlyReportRun, recipients: string[], messageId: string | null, at: Date): Promise<void> {
    await em.query(`UPDATE reporting.monthly_report_run SET recipients = $4, message_id = $5, mailed_at = $6 WHERE customer_id = $1 AND month = $2 AND language = $3`, [
      run.customerId,
      run.month,
      run.language,
      JSON.stringify(recipients),
      messageId,
      at,
    ]);
  }

  async report(reportId: string): Promise<ReportEntity | null> {
    return this.ds.getRepository(ReportEntity).findOneBy({ id: reportId });
  }
}
