import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AnalysisReportEdition } from '@kanshi/events';
import { ReportEntity } from '../reports/report.entity';

export interface AnalysisReportRequest {
  requestId: string;
  customerId: string;
  incidentId: string;
  edition: AnalysisReportEdition;
  language: 'ja' | 'en';
  approvedBy: string | null;
  recipients: string[];
  reportId: string | null;
  messageId: string | null;
  sentAt: Date | null;
}

// The analysis reports asked for (by incident's event or through the API), and what became of each.
@Injectable()
export class AnalysisReportsRepository {
  constructor(private readonly ds: DataSource) {}

  async insertRequest(em: EntityManager, r: Omit<AnalysisReportRequest, 'reportId' | 'messageId' | 'sentAt'>, requestedAt: Date): Promise<void> {
    await em.query(
      `INSERT INTO reporting.analysis_report_request (request_id, customer_id, incident_id, edition, language, approved_by, recipients, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (request_id) DO NOTHING`,
      [r.requestId, r.customerId, r.incidentId, r.edition, r.language, r.approvedBy, JSON.stringify(r.recipients), requestedAt],
    );
  }

  // The request, locked for the caller's transaction (one render and one mail at a time).
  async lock(em: EntityManager, requestId: string): Promise<AnalysisReportRequest | null> {
    const [row] = await em.query(`SELECT * FROM reporting.analysis_report_request WHERE request_id = $1 FOR UPDATE`, [requestId]);
    return row ? requestOf(row) : null;
  }

  async find(requestId: string): Promise<AnalysisReportRequest | null> {
    const [row] = await this.ds.query(`SELECT * FROM reporting.analysis_report_request WHERE request_id = $1`, [requestId]);
    return row ? requestOf(row) : null;
  }

  async setReport(em: EntityManager, requestId: string, reportId: string): Promise<void> {
    await em.query(`UPDATE reporting.analysis_report_request SET report_id = $2 WHERE request_id = $1`, [requestId, reportId]);
  }

  async setSent(em: EntityManager, requestId: string, messageId: string, sentAt: Date): Promise<void> {
    await em.query(`UPDATE reporting.analysis_report_request SET message_id = $2, sent_at = $3 WHERE request_id = $1`, [requestId, messageId, sentAt]);
  }

  async report(reportId: string): Promise<ReportEntity | null> {
    return this.ds.getRepository(ReportEntity).findOneBy({ id: reportId });
  }
}

function requestOf(r: any): AnalysisReportRequest {
  return {
    requestId: r.request_id,
    customerId: r.customer_id,
    incidentId: r.incident_id,
    edition: r.edition,
    language: r.language,
    approvedBy: r.approved_by,
    recipients: r.recipients,
    reportId: r.report_id,
    messageId: r.message_id,
    sentAt: r.sent_at,
  };
}
