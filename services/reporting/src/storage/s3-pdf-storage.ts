import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { createLogger } from '@kanshi/observability';
import { ReportStorageKind } from '../reports/report.entity';
import { PdfStorage } from './pdf-storage';
import { S3Client, S3Error } from './s3-client';
import { StorageError } from './storage.errors';

// REPORT_STORAGE=s3: the bytes in an S3-compatible bucket, the metadata (sha256, size, tenant,
// kind, version) in reporting.report as for PostgreSQL. Each version gets a key of its own,
// `reports/<32 random bytes, base64url>.pdf`: it names neither tenant nor report and cannot be
// guessed, so the bucket's listing and logs leak nothing and a key is never overwritten (an
// earlier version keeps its object). The upload happens inside the transaction that inserts the
// row: a refused upload rolls the row back and the caller's job retries. An object uploaded by a
// transaction that then failed stays in the bucket unreferenced (harmless; a lifecycle rule may
// expire objects that no row names).
export class S3PdfStorage extends PdfStorage {
  readonly kind = 's3' as const;
  private readonly log = createLogger('S3PdfStorage');

  // `earlier`: where rows written before the switch to S3 (storage = 'postgres') are read from.
  constructor(
    private readonly client: S3Client,
    private readonly earlier?: PdfStorage,
  ) {
    super();
  }

  keyOf(): string {
    return `reports/${randomBytes(32).toString('base64url')}.pdf`;
  }

  async put(_em: EntityManager, reportId: string, key: string, pdf: Buffer): Promise<void> {
    try {
      await this.client.putObject(key, pdf, 'application/pdf');
    } catch (err) {
      throw this.failure(err, { reportId, key });
    }
  }

  async get(report: { id: string; storageKey: string | null; storage?: ReportStorageKind }): Promise<Buffer | null> {
    if (report.storage && report.storage !== 's3') return this.earlier ? this.earlier.get(report) : null;
    if (!report.storageKey) return null;
    try {
      return await this.client.getObject(report.storageKey);
    } catch (err) {
      throw this.failure(err, { reportId: report.id, key: report.storageKey });
    }
  }

  private failure(err: unknown, at: { reportId: string; key: string }): Error {
    if (!(err instanceof S3Error)) return err as Error;
    this.log.error({ ...at, operation: err.operation, status: err.status, code: err.code, requestId: err.requestId }, err.message);
    return new StorageError('STORAGE_UNAVAILABLE', err.message);
  }
}
