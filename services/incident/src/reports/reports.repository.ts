import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AnalysisReportEdition } from '@kanshi/events';

export interface ReportRequestRow {
  requestId: string;
  incidentId: string;
  edition: AnalysisReportEdition;
  approvedBy: string | null;
  reportId: string | null;
}

@Injectable()
// UPDATE ... RETURNING through TypeORM's PostgreSQL driver answers [rows, affected].
export class ReportsRepository {
  async insert(em: EntityManager, row: Omit<ReportRequestRow, 'reportId'> & { requestedBy: string; requestedAt: Date }): Promise<void> {
    await em.query(
      `INSERT INTO incident.analysis_report_request (request_id, incident_id, edition, requested_by, approved_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.requestId, row.incidentId, row.edition, row.requestedBy, row.approvedBy, row.requestedAt],
    );
  }

  async markReady(em: EntityManager, requestId: string, reportId: string, at: Date): Promise<ReportRequestRow | null> {
    const [rows] = (await em.query(
      `UPDATE incident.analysis_report_request SET report_id = $2, ready_at = $3 WHERE request_id = $1 RETURNING request_id, incident_id, edition, approved_by, report_id`,
      [requestId, reportId, at],
    )) as [RawRequest[], number];
    return rows[0] ? toRow(rows[0]) : null;
  }

  async markSent(em: EntityManager, reportId: string, at: Date): Promise<ReportRequestRow | null> {
    const [rows] = (await em.query(
      `UPDATE incident.analysis_report_request SET sent_at = $2 WHERE report_id = $1 RETURNING request_id, incident_id, edition, approved_by, report_id`,
      [reportId, at],
    )) as [RawRequest[], number];
    return rows[0] ? toRow(rows[0]) : null;
  }
}

interface RawRequest {
  request_id: string;
  incident_id: string;
  edition: AnalysisReportEdition;
  approved_by: string | null;
  report_id: string | null;
}
const toRow = (r: RawRequest): ReportRequestRow => ({ requestId: r.request_id, incidentId: r.incident_id, edition: r.edition, approvedBy: r.approved_by, reportId: r.report_id });
