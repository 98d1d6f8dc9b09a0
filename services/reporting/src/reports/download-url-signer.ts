import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { ReportingConfig } from '../config';

// Whose a report is, as signed into its download URL: a customer's, or a partner's own.
export function tenantOf(report: { customerId: string | null; ownerPartnerId: string | null }): string {
  return report.customerId ? `c.${report.customerId}` : `p.${report.ownerPartnerId}`;
}

export interface SignedDownload {
  reportId: string;
  tenant: string;
  expires: number;
}

// Download URLs: `<PUBLIC_BASE_URL>/reports/<id>.pdf?tenant=…&expires=<unix s>&signature=…`, the
// signature an HMAC-SHA256 (REPORT_URL_SECRET) over id, tenant and expiry. Whoever holds the URL
// may fetch the PDF until it expires, without a token; it is only handed to callers who read the
// report through the tenant-checked API.
@Injectable()
export class DownloadUrlSigner {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;
  // Set by the download server when it listens on a random port (PUBLIC_PORT=0, tests).
  baseUrl: string;

  constructor(@Inject(PLATFORM_CONFIG) config: Pick<ReportingConfig, 'REPORT_URL_SECRET' | 'REPORT_URL_TTL_SECONDS' | 'PUBLIC_BASE_URL'>) {
    this.key = Buffer.from(config.REPORT_URL_SECRET, 'utf8');
    this.ttlSeconds = config.REPORT_URL_TTL_SECONDS;
    this.baseUrl = config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  }

  url(report: { id: string; customerId: string | null; ownerPartnerId: string | null }, now = new Date()): string {
    const tenant = tenantOf(report);
    const expires = Math.floor(now.getTime() / 1000) + this.ttlSeconds;
    const q = new URLSearchParams({ tenant, expires: String(expires), signature: this.sign({ reportId: report.id, tenant, expires }) });
    return `${this.baseUrl}/reports/${encodeURIComponent(report.id)}.pdf?${q.toString()}`;
  }

  // The download a URL's path and query name, or null when the signature does not match or
  // the URL has expired.
  verify(reportId: string, query: URLSearchParams, now = new Date()): SignedDownload | null {
    const tenant = query.get('tenant');
    const expiresRaw = query.get('expires');
    const signature = query.get('signature');
    if (!tenant || !expiresRaw || !signature || !/^\d{1,12}$/.test(expiresRaw)) return null;
    const expires = Number(expiresRaw);
    const expected = Buffer.from(this.sign({ reportId, tenant, expires }));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (expires * 1000 <= now.getTime()) return null;
    return { reportId, tenant, expires };
  }

  private sign(d: SignedDownload): string {
    return createHmac('sha256', this.key).update(`report-download\n${d.reportId}\n${d.tenant}\n${d.expires}`).digest('base64url');
  }
}
