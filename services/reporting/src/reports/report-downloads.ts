import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createLogger } from '@kanshi/observability';
import { PdfStorage } from '../storage/pdf-storage';
import { DownloadUrlSigner, tenantOf } from './download-url-signer';
import { ReportsRepository } from './reports.repository';

export type DownloadOutcome = { status: 200; pdf: Buffer; fileName: string; sha256: string } | { status: 403 | 404 | 500 };

// A signed download URL checked and answered: 403 for anything not signed by us, expired, or
// for another tenant than the report's; 404 for a report that no longer exists (only reachable
// with a genuine signature). No principal: the signature is the permission.
@Injectable()
export class ReportDownloads {
  private readonly log = createLogger('ReportDownloads');

  constructor(
    private readonly signer: DownloadUrlSigner,
    private readonly repo: ReportsRepository,
    private readonly storage: PdfStorage,
  ) {}

  async open(reportId: string, query: URLSearchParams, now = new Date()): Promise<DownloadOutcome> {
    const signed = this.signer.verify(reportId, query, now);
    if (!signed) return { status: 403 };
    const report = await this.repo.byId(reportId);
    if (!report) return { status: 404 };
    if (tenantOf(report) !== signed.tenant) return { status: 403 };
    const pdf = await this.storage.get(report);
    const sha256 = pdf && createHash('sha256').update(pdf).digest('hex');
    if (!pdf || !sha256 || sha256 !== report.sha256) {
      this.log.error({ reportId, storage: report.storage, found: Boolean(pdf) }, 'stored PDF is missing or does not match its sha256');
      return { status: 500 };
    }
    const fileName = `${report.kind.toLowerCase()}-${report.period ?? report.subjectId ?? report.id}-v${report.version}.pdf`;
    return { status: 200, pdf, fileName, sha256 };
  }
}
