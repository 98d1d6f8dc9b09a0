import { Injectable } from '@nestjs/common';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { ReportKindValue } from '@kanshi/events';
import { ConnectionShape, decodeCursor, pageOf, pageSize } from '@kanshi/platform';
import { DownloadUrlSigner } from './download-url-signer';
import { ReportEntity } from './report.entity';
import { ReportError } from './reports.errors';
import { ReportsPermissions } from './reports.permissions';
import { ReportsRepository } from './reports.repository';

// The API declares report lists as plain lists (docs: API.md), so they cannot page: past this
// many a caller gets an error asking to narrow the list, never a silently cut one.
export const REPORT_LIST_LIMIT = 500;

@Injectable()
export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly signer: DownloadUrlSigner,
  ) {}

  // The caller's reports, newest first; another tenant's never appear, even when asked for.
  async list(principal: Principal, filter: { customerId?: string; kind?: ReportKindValue } = {}): Promise<ReportEntity[]> {
    authorize(principal, ReportsPermissions.readReports);
    const rows = await this.repo.list(scopeOf(principal), filter, REPORT_LIST_LIMIT + 1);
    if (rows.length > REPORT_LIST_LIMIT) throw tooMany(filter.customerId ? 'kind' : 'customerId or kind');
    return rows;
  }

  // The same reports a page at a time, newest first (no limit on the whole list).
  async page(principal: Principal, filter: { customerId?: string; kind?: ReportKindValue } = {}, first?: number, after?: string): Promise<ConnectionShape<ReportEntity>> {
    authorize(principal, ReportsPermissions.readReports);
    const size = pageSize({ first });
    const cursor = after ? decodeCursor(after) : undefined;
    const rows = await this.repo.page(scopeOf(principal), filter, size, cursor && { createdAt: cursor.sortKey, id: cursor.id });
    return pageOf(rows, size, (r) => ({ sortKey: r.createdAt.toISOString(), id: r.id }));
  }

  // A signed URL for a report the caller has just read through a tenant-scoped query or
  // reference (the resolver only calls this on such a report).
  downloadUrl(principal: Principal, report: ReportEntity): string {
    authorize(principal, ReportsPermissions.readReports);
    return this.signer.url(report);
  }

  // Another tenant's report is absent from the map, so it reads as null like a missing one.
  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, ReportEntity>> {
    authorize(principal, ReportsPermissions.readReports);
    return new Map((await this.repo.visibleByIds(scopeOf(principal), ids)).map((r) => [r.id, r]));
  }

  async byCustomers(principal: Principal, customerIds: readonly string[]): Promise<Map<string, ReportEntity[]>> {
    authorize(principal, ReportsPermissions.readReports);
    const rows = await this.repo.newestOf(scopeOf(principal), customerIds, REPORT_LIST_LIMIT + 1);
    const out = new Map<string, ReportEntity[]>(customerIds.map((id) => [id, []]));
    for (const r of rows) if (r.customerId) out.get(r.customerId)?.push(r);
    for (const reports of out.values()) if (reports.length > REPORT_LIST_LIMIT) throw tooMany('kind, using Query.reports');
    return out;
  }
}

function tooMany(narrowBy: string): InstanceType<typeof ReportError> {
  return new ReportError('TOO_MANY_REPORTS', `more than ${REPORT_LIST_LIMIT} reports match: narrow the list by ${narrowBy}`);
}
