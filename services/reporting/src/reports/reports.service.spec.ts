import { TenantScope } from '@kanshi/auth';
import { principalAs, TENANTS } from '@kanshi/testing';
import { DownloadUrlSigner } from './download-url-signer';
import { ReportEntity } from './report.entity';
import { ReportError } from './reports.errors';
import { ReportsRepository } from './reports.repository';
import { REPORT_LIST_LIMIT, ReportsService } from './reports.service';

const { C1, C2 } = TENANTS;
const as = principalAs;
const report = (n: number, customerId = C1): ReportEntity =>
  ({ id: `r${n}`, customerId, kind: 'MONTHLY', title: `Report ${n}`, language: 'ja', subjectRef: null, sha256: null, sizeBytes: null, createdAt: new Date('2026-11-01T00:00:00Z') }) as ReportEntity;

function setup(reports: ReportEntity[] = []) {
  const repo = {
    list: jest.fn(async (_scope: TenantScope, _filter: unknown, limit: number) => reports.slice(0, limit)),
    page: jest.fn(async (_scope: TenantScope, _filter: unknown, first: number) => reports.slice(0, first + 1)),
    newestOf: jest.fn(async (_scope: TenantScope, ids: readonly string[]) => reports.filter((r) => r.customerId !== null && ids.includes(r.customerId))),
  };
  const signer = { url: jest.fn((r: { id: string }) => `http://dl/reports/${r.id}.pdf?sig`) };
  const sut = new ReportsService(repo as unknown as ReportsRepository, signer as unknown as DownloadUrlSigner);
  return { sut, ctx: { repo, signer } };
}

describe('ReportsService.list', () => {
  it('asks the repository within the caller’s scope, for one more row than it may answer', async () => {
    const { sut, ctx } = setup([report(1)]);
    expect(await sut.list(as('customer_viewer', { customerId: C1 }), { kind: 'MONTHLY' })).toEqual([report(1)]);
    expect(ctx.repo.list).toHaveBeenCalledWith({ kind: 'customer', customerId: C1 }, { kind: 'MONTHLY' }, REPORT_LIST_LIMIT + 1);
  });

  it('answers exactly the limit in full', async () => {
    const { sut } = setup(Array.from({ length: REPORT_LIST_LIMIT }, (_, i) => report(i)));
    expect(await sut.list(as('analyst'))).toHaveLength(REPORT_LIST_LIMIT);
  });

  it('refuses to cut a longer list silently: TOO_MANY_REPORTS asks to narrow it', async () => {
    const { sut } = setup(Array.from({ length: REPORT_LIST_LIMIT + 1 }, (_, i) => report(i)));
    const err = await sut.list(as('provider_admin')).catch((e: unknown) => e);
    expect(ReportError.is(err, 'TOO_MANY_REPORTS')).toBe(true);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', message: `more than ${REPORT_LIST_LIMIT} reports match: narrow the list by customerId or kind` });
  });
});

describe('ReportsService.byCustomers', () => {
  it('groups reports by customer, with an empty list for a customer without any', async () => {
    const { sut } = setup([report(1), report(2)]);
    expect(await sut.byCustomers(as('partner_admin', { partnerId: 'p' }), [C1, C2])).toEqual(
      new Map([
        [C1, [report(1), report(2)]],
        [C2, []],
      ]),
    );
  });

  it('refuses a customer with more reports than one answer carries', async () => {
    const { sut } = setup(Array.from({ length: REPORT_LIST_LIMIT + 1 }, (_, i) => report(i, C2)));
    await expect(sut.byCustomers(as('analyst'), [C1, C2])).rejects.toMatchObject({ code: 'TOO_MANY_REPORTS' });
  });
});

describe('ReportsService.page', () => {
  it('answers a page and tells whether more follow, within the caller’s scope', async () => {
    const { sut, ctx } = setup([report(1), report(2), report(3)]);
    const page = await sut.page(as('customer_viewer', { customerId: C1 }), {}, 2);
    expect(page.edges.map((e) => e.node.id)).toEqual(['r1', 'r2']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(ctx.repo.page).toHaveBeenCalledWith({ kind: 'customer', customerId: C1 }, {}, 2, undefined);
  });

  it('refuses a page size out of range naming first, and a foreign cursor naming after', async () => {
    const { sut } = setup();
    await expect(sut.page(as('analyst'), {}, 201)).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', field: 'first' });
    await expect(sut.page(as('analyst'), {}, 10, 'garbage')).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('ReportsService.downloadUrl', () => {
  it('signs the URL of a report the caller has read', () => {
    const { sut, ctx } = setup();
    expect(sut.downloadUrl(as('customer_viewer', { customerId: C1 }), report(7))).toBe('http://dl/reports/r7.pdf?sig');
    expect(ctx.signer.url).toHaveBeenCalledWith(report(7));
  });
});
