import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BillingDocumentRow } from './billing-document.row';

@Injectable()
export class BillingDocumentsRepository {
  constructor(private readonly ds: DataSource) {}

  async add(em: EntityManager, doc: Omit<BillingDocumentRow, 'reportId'> & { customerId: string | null; partnerId: string | null }): Promise<void> {
    await em.query(
      `INSERT INTO reporting.billing_document (event_id, kind, subject_id, customer_id, partner_id, body) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
      [doc.eventId, doc.kind, doc.subjectId, doc.customerId, doc.partnerId, JSON.stringify(doc.body)],
    );
  }

  // Locked for the job making its PDF, so two runs of the same job make one version.
  async lockedById(em: EntityManager, eventId: string): Promise<BillingDocumentRow | null> {
    const rows: BillingDocumentRow[] = await em.query(
      `SELECT event_id AS "eventId", kind, subject_id AS "subjectId", body, report_id AS "reportId" FROM reporting.billing_document WHERE event_id = $1 FOR UPDATE`,
      [eventId],
    );
    return rows[0] ?? null;
  }

  async markRendered(em: EntityManager, eventId: string, reportId: string): Promise<void> {
    await em.query(`UPDATE reporting.billing_document SET report_id = $2 WHERE event_id = $1`, [eventId, reportId]);
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }
}
