import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReportReady } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { PdfStorage } from '../storage/pdf-storage';
import { ReportEntity } from './report.entity';
import { ReportsRepository } from './reports.repository';
import { SaveReportInput } from './save-report.input';

// Keeps rendered PDFs: each save is a new version of its document (kind + subject, month or
// edition), stored with its sha256 and metadata, and announced as reporting.report.ready.v1
// through the outbox in the same transaction. Internal: callers are reporting's own generators
// (consumers and jobs), which have checked tenancy already.
@Injectable()
export class ReportStore {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ReportsRepository,
    private readonly storage: PdfStorage,
    private readonly outbox: Outbox,
  ) {}

  // With `em`, inside the caller's transaction (a consumer's handler, so a redelivered event
  // saves nothing twice); without, in a transaction of its own.
  async saveVersion(em: EntityManager | undefined, input: SaveReportInput): Promise<ReportEntity> {
    if (!em) return this.ds.transaction((tx) => this.saveVersion(tx, input));
    if (!input.customerId && !input.partnerId) throw new Error('a report belongs to a customer or, for a partner’s invoice, to a partner');
    if (input.period !== undefined && input.period !== null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(input.period)) throw new Error(`period must be YYYY-MM (got "${input.period}")`);
    if (!input.pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new Error('pdf is not a PDF document');
    const subjectRef = subjectRefOf(input);
    const version = await this.repo.nextVersion(em, input.kind, subjectRef);
    const sha256 = createHash('sha256').update(input.pdf).digest('hex');
    const report = await this.repo.insert(em, {
      customerId: input.customerId,
      ownerPartnerId: input.customerId ? null : (input.partnerId ?? null),
      kind: input.kind,
      title: input.title,
      language: input.language,
      subjectId: input.subjectId ?? null,
      period: input.period ?? null,
      edition: input.edition ?? null,
      subjectRef,
      version,
      provisional: input.provisional,
      metadata: input.metadata ?? {},
      sha256,
      sizeBytes: input.pdf.length,
      storage: this.storage.kind,
      keyOf: (id) => this.storage.keyOf({ id, customerId: input.customerId, ownerPartnerId: input.partnerId ?? null }),
    });
    await this.storage.put(em, report.id, report.storageKey ?? report.id, input.pdf);
    await this.outbox.add(
      em,
      ReportReady,
      { reportId: report.id, kind: report.kind, subjectId: report.subjectId, sha256, ...(report.edition ? { edition: report.edition } : {}), ...(input.requestId ? { requestId: input.requestId } : {}) },
      { customerId: report.customerId },
    );
    return report;
  }
}

// Versions of one document share this key: the subject (or, for a monthly report, the customer
// and month), plus the edition of an analysis report. Provisional and final monthly reports of
// one month are versions of the same document.
export function subjectRefOf(input: Pick<SaveReportInput, 'kind' | 'customerId' | 'partnerId' | 'subjectId' | 'period' | 'edition'>): string {
  const owner = input.customerId ?? `partner:${input.partnerId}`;
  const subject = input.subjectId ?? `${owner}/${input.period ?? '-'}`;
  return input.edition ? `${subject}/${input.edition}` : subject;
}
