// Stored PDFs through ReportStore, the API and the signed download URL, on the real database:
// versions, sha256, report.ready, who may list and fetch what, expired and altered URLs.
import { createHash, randomUUID } from 'node:crypto';
import { SubgraphKit } from '@kanshi/testing';
import { startReporting, tinyPdf } from '../testing/reporting-kit';
import { DownloadUrlSigner } from './download-url-signer';
import { ReportStore } from './report-store';
import { SaveReportInput } from './save-report.input';

jest.setTimeout(60_000);

let kit: SubgraphKit & { downloadBase: string };
let store: ReportStore;
beforeAll(async () => {
  kit = await startReporting();
  store = kit.app.get(ReportStore);
});
afterAll(() => kit?.close());

const FIELDS = 'id kind title language version edition provisional period subjectId sha256 sizeBytes downloadUrl';
const LIST = `query($customerId: ID, $kind: ReportKind) { reports(customerId: $customerId, kind: $kind) { ${FIELDS} } }`;
const PAGE = `query($first: Int, $after: String, $customerId: ID, $kind: ReportKind) { reportPage(first: $first, after: $after, customerId: $customerId, kind: $kind) { edges { cursor node { id version } } pageInfo { hasNextPage endCursor } } }`;
type Listed = { id: string; version: number; sha256: string; downloadUrl: string; provisional: boolean; period: string | null };

const monthly = (customerId: string, over: Partial<SaveReportInput> = {}): SaveReportInput => ({
  customerId,
  kind: 'MONTHLY',
  title: '月次報告書 2026年11月',
  language: 'ja',
  period: '2026-11',
  provisional: false,
  pdf: tinyPdf(randomUUID()),
  metadata: { alerts: 3 },
  ...over,
});

async function download(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

describe('ReportStore.saveVersion', () => {
  it('stores the PDF with its sha256, numbers versions of the same document, keeps the earlier ones, and announces each on report.ready', async () => {
    const { customerId } = await kit.createCustomer();
    const first = monthly(customerId, { provisional: true });
    const v1 = await store.saveVersion(undefined, first);
    const v2 = await store.saveVersion(undefined, monthly(customerId));
    const otherMonth = await store.saveVersion(undefined, monthly(customerId, { period: '2026-10' }));
    expect([v1.version, v2.version, otherMonth.version]).toEqual([1, 2, 1]);
    expect(v1.sha256).toBe(createHash('sha256').update(first.pdf).digest('hex'));

    const { reports } = await kit.ok<{ reports: Listed[] }>('customer_viewer', LIST, { kind: 'MONTHLY' }, { customerId });
    expect(reports.map((r) => [r.id, r.version, r.provisional, r.period])).toEqual([
      [otherMonth.id, 1, false, '2026-10'],
      [v2.id, 2, false, '2026-11'],
      [v1.id, 1, true, '2026-11'],
    ]);
    const old = await download(reports[2].downloadUrl);
    expect(old).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(old.body.equals(first.pdf)).toBe(true);

    const ready = await kit.outbox('reporting.report.ready.v1', customerId);
    expect(ready.map((e) => e.body)).toEqual([
      { reportId: v1.id, kind: 'MONTHLY', subjectId: null, sha256: v1.sha256 },
      { reportId: v2.id, kind: 'MONTHLY', subjectId: null, sha256: v2.sha256 },
      { reportId: otherMonth.id, kind: 'MONTHLY', subjectId: null, sha256: otherMonth.sha256 },
    ]);
  });

  it('versions an analysis report per incident and edition, and carries the request on report.ready', async () => {
    const { customerId } = await kit.createCustomer();
    const incidentId = randomUUID();
    const requestId = randomUUID();
    const base = { customerId, kind: 'ANALYSIS' as const, subjectId: incidentId, title: '調査報告書', language: 'ja' as const, provisional: false };
    const a = await store.saveVersion(undefined, { ...base, edition: 'FIRST', pdf: tinyPdf('a') });
    const b = await store.saveVersion(undefined, { ...base, edition: 'DETAILED', pdf: tinyPdf('b'), requestId });
    const c = await store.saveVersion(undefined, { ...base, edition: 'DETAILED', pdf: tinyPdf('c') });
    expect([a.version, b.version, c.version]).toEqual([1, 1, 2]);
    const ready = await kit.outbox('reporting.report.ready.v1', customerId);
    expect(ready[1].body).toEqual({ reportId: b.id, kind: 'ANALYSIS', subjectId: incidentId, sha256: b.sha256, edition: 'DETAILED', requestId });
  });

  it('refuses what is not a PDF, and a report without an owner', async () => {
    const { customerId } = await kit.createCustomer();
    await expect(store.saveVersion(undefined, monthly(customerId, { pdf: Buffer.from('<html>') }))).rejects.toThrow('pdf is not a PDF document');
    await expect(store.saveVersion(undefined, monthly(null as unknown as string))).rejects.toThrow('belongs to a customer');
    await expect(store.saveVersion(undefined, monthly(customerId, { period: '2026-13' }))).rejects.toThrow('period must be YYYY-MM');
  });
});

describe('download URLs', () => {
  let report: Listed;
  let customerId: string;
  beforeAll(async () => {
    ({ customerId } = await kit.createCustomer());
    await store.saveVersion(undefined, monthly(customerId, { pdf: tinyPdf('download me') }));
    [report] = (await kit.ok<{ reports: Listed[] }>('customer_admin', LIST, {}, { customerId })).reports;
  });

  it('is an absolute URL on the public port that fetches the PDF without any Authorization header', async () => {
    expect(report.downloadUrl.startsWith(`${kit.downloadBase}/reports/${report.id}.pdf?`)).toBe(true);
    const r = await download(report.downloadUrl);
    expect(r.status).toBe(200);
    expect(createHash('sha256').update(r.body).digest('hex')).toBe(report.sha256);
    expect(r.body.toString()).toContain('download me');
  });

  it('is refused with 403 once expired', async () => {
    const signer = kit.app.get(DownloadUrlSigner);
    const expired = signer.url({ id: report.id, customerId, ownerPartnerId: null }, new Date(Date.now() - 901_000));
    expect((await download(expired)).status).toBe(403);
    const fresh = signer.url({ id: report.id, customerId, ownerPartnerId: null }, new Date(Date.now() - 880_000));
    expect((await download(fresh)).status).toBe(200);
  });

  it.each([
    ['a later expiry', (u: URL) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600))],
    ['another tenant', (u: URL) => u.searchParams.set('tenant', `c.${randomUUID()}`)],
    ['another report id', (u: URL) => (u.pathname = `/reports/${randomUUID()}.pdf`)],
    ['a changed signature', (u: URL) => u.searchParams.set('signature', u.searchParams.get('signature')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))],
    ['no signature', (u: URL) => u.searchParams.delete('signature')],
  ])('is refused with 403 when altered: %s', async (_, alter) => {
    const u = new URL(report.downloadUrl);
    alter(u);
    const r = await download(u.toString());
    expect(r.status).toBe(403);
    expect(r.body.toString()).not.toContain('download me');
  });

  it('answers a validly signed URL of a report that does not exist with 404, and unknown paths with 404', async () => {
    const signer = kit.app.get(DownloadUrlSigner);
    expect((await download(signer.url({ id: randomUUID(), customerId, ownerPartnerId: null }))).status).toBe(404);
    expect((await download(`${kit.downloadBase}/graphql`)).status).toBe(404);
  });
});

describe('who lists and fetches which reports', () => {
  it('never shows customer B’s report to customer A, neither listed, nor by reference, nor with B’s URL under A’s tenant', async () => {
    const a = await kit.createCustomer();
    const b = await kit.createCustomer();
    const rb = await store.saveVersion(undefined, monthly(b.customerId));
    expect((await kit.ok<{ reports: Listed[] }>('customer_viewer', LIST, { customerId: b.customerId }, { customerId: a.customerId })).reports).toEqual([]);
    const ents = await kit.ok<{ _entities: unknown[] }>('customer_viewer', `query($r: [_Any!]!) { _entities(representations: $r) { ... on Report { id downloadUrl } } }`, { r: [{ __typename: 'Report', id: rb.id }] }, { customerId: a.customerId });
    expect(ents._entities).toEqual([null]);
    const forged = kit.app.get(DownloadUrlSigner).url({ id: rb.id, customerId: a.customerId, ownerPartnerId: null });
    expect((await download(forged)).status).toBe(403);
  });

  it('shows a partner its customers’ reports and its own invoices, never another partner’s; customers never see partner invoices', async () => {
    const p1 = randomUUID();
    const p2 = randomUUID();
    const ours = await kit.createCustomer({ partnerId: p1 });
    const theirs = await kit.createCustomer({ partnerId: p2 });
    const customerReport = await store.saveVersion(undefined, monthly(ours.customerId));
    await store.saveVersion(undefined, monthly(theirs.customerId));
    const invoice = (partnerId: string) =>
      store.saveVersion(undefined, { customerId: null, partnerId, kind: 'INVOICE', subjectId: randomUUID(), title: '請求書', language: 'ja', period: '2026-11', provisional: false, pdf: tinyPdf(partnerId) });
    const inv1 = await invoice(p1);
    const inv2 = await invoice(p2);

    const p1List = (await kit.ok<{ reports: Listed[] }>('partner_admin', LIST, {}, { partnerId: p1 })).reports;
    expect(p1List.map((r) => r.id)).toEqual([inv1.id, customerReport.id]);
    const p1Invoice = p1List[0];
    expect((await download(p1Invoice.downloadUrl)).body.toString()).toContain(p1);

    expect((await kit.ok<{ reports: Listed[] }>('customer_admin', LIST, {}, { customerId: ours.customerId })).reports.map((r) => r.id)).toEqual([customerReport.id]);
    const staff = (await kit.ok<{ reports: Listed[] }>('sales', LIST, { kind: 'INVOICE' })).reports.map((r) => r.id);
    expect(staff).toEqual(expect.arrayContaining([inv1.id, inv2.id]));
    const ref = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Report { id } } }`;
    const { _entities } = await kit.ok<{ _entities: unknown[] }>('partner_admin', ref, { r: [{ __typename: 'Report', id: inv1.id }, { __typename: 'Report', id: inv2.id }] }, { partnerId: p1 });
    expect(_entities).toEqual([{ id: inv1.id }, null]);
    const asCustomer = kit.app.get(DownloadUrlSigner).url({ id: inv1.id, customerId: ours.customerId, ownerPartnerId: null });
    expect((await download(asCustomer)).status).toBe(403);
  });
});

describe('reportPage', () => {
  it('pages through every report newest first without gaps or repeats', async () => {
    const { customerId } = await kit.createCustomer();
    const saved = [];
    for (let i = 0; i < 5; i++) saved.push(await store.saveVersion(undefined, monthly(customerId)));
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { reportPage }: { reportPage: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await kit.ok('customer_viewer', PAGE, { first: 2, after }, { customerId });
      seen.push(...reportPage.edges.map((e) => e.node.id));
      if (!reportPage.pageInfo.hasNextPage) break;
      after = reportPage.pageInfo.endCursor;
    }
    expect(seen).toEqual(saved.map((r) => r.id).reverse());
  });

  it('refuses a page size out of range and a cursor it did not make, naming the argument', async () => {
    const r1 = await kit.gql('analyst', PAGE, { first: 0 });
    expect(r1.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('first') });
    const r2 = await kit.gql('analyst', PAGE, { after: 'nonsense' });
    expect(r2.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('after') });
  });
});
