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
    newestOf: jest.fn(async (_scope: TenantScope, ids: readonly string[]) => reports.filter((r) => r.customerId !== null && ids.includes(r.customerId))),
  };
  const signer = { url: jest.fn((r: { id: string }) => `http://dl/reports/${r.id}.pdf?sig`) };
  const sut = new ReportsService(repo as unknown as ReportsRepository, signer as unknown as DownloadUrlSigner);
  return { sut, ctx: { repo } };
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
