import { DownloadUrlSigner, tenantOf } from './download-url-signer';

const config = { REPORT_URL_SECRET: 'x'.repeat(40), REPORT_URL_TTL_SECONDS: 900, PUBLIC_BASE_URL: 'https://reports.example.jp/' };
const report = { id: '3f0c4a52-6a8e-4d0e-9a51-0d1c7a1f2b3c', customerId: '9b2e7f10-1111-4a4a-8b8b-222233334444', ownerPartnerId: null };
const now = new Date('2026-12-01T00:00:00Z');

function parts(url: string): { id: string; query: URLSearchParams } {
  const u = new URL(url);
  return { id: /\/reports\/(.+)\.pdf$/.exec(u.pathname)![1], query: u.searchParams };
}

describe('DownloadUrlSigner', () => {
  const signer = new DownloadUrlSigner(config);

  it('makes an absolute URL on the public base, valid for the TTL, that verifies', () => {
    const url = signer.url(report, now);
    expect(url.startsWith(`https://reports.example.jp/reports/${report.id}.pdf?tenant=c.${report.customerId}&expires=${now.getTime() / 1000 + 900}&signature=`)).toBe(true);
    const { id, query } = parts(url);
    expect(signer.verify(id, query, new Date(now.getTime() + 899_000))).toEqual({ reportId: report.id, tenant: `c.${report.customerId}`, expires: now.getTime() / 1000 + 900 });
  });

  it('refuses it from the moment it expires', () => {
    const { id, query } = parts(signer.url(report, now));
    expect(signer.verify(id, query, new Date(now.getTime() + 900_000))).toBeNull();
  });

  const alterations: [string, (q: URLSearchParams) => void, string | undefined][] = [
    ['another id', () => undefined, '00000000-0000-4000-8000-000000000000'],
    ['another tenant', (q) => q.set('tenant', 'c.someone-else'), undefined],
    ['a later expiry', (q) => q.set('expires', String(Number(q.get('expires')) + 1)), undefined],
    ['no signature', (q) => q.delete('signature'), undefined],
    ['a shortened signature', (q) => q.set('signature', q.get('signature')!.slice(1)), undefined],
    ['an expiry that is not a number', (q) => q.set('expires', '1e12'), undefined],
  ];
  it.each(alterations)('refuses a URL with %s', (_, alter, otherId) => {
    const { id, query } = parts(signer.url(report, now));
    alter(query);
    expect(signer.verify(otherId ?? id, query, now)).toBeNull();
  });

  it('refuses a URL signed with another key', () => {
    const other = new DownloadUrlSigner({ ...config, REPORT_URL_SECRET: 'y'.repeat(40) });
    const { id, query } = parts(other.url(report, now));
    expect(signer.verify(id, query, now)).toBeNull();
  });

  it('signs a partner’s own document under the partner', () => {
    expect(tenantOf({ customerId: null, ownerPartnerId: 'p1' })).toBe('p.p1');
    expect(tenantOf({ customerId: 'c1', ownerPartnerId: null })).toBe('c.c1');
  });
});
