import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PdfStorage } from './pdf-storage';

// The default: the bytes in reporting.report_pdf (bytea), beside their row.
@Injectable()
export class PostgresPdfStorage extends PdfStorage {
  readonly kind = 'postgres' as const;

  constructor(private readonly ds: DataSource) {
    super();
  }

  keyOf(report: { id: string }): string {
    return report.id;
  }

  async put(em: EntityManager, reportId: string, _key: string, pdf: Buffer): Promise<void> {
    await em.query(`INSERT INTO reporting.report_pdf (report_id, pdf) VALUES ($1, $2)`, [reportId, pdf]);
  }

  async get(report: { id: string }): Promise<Buffer | null> {
    const rows: { pdf: Buffer }[] = await this.ds.query(`SELECT pdf FROM reporting.report_pdf WHERE report_id = $1`, [report.id]);
    return rows[0]?.pdf ?? null;
  }
}
