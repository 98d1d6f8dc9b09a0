import { TenantScope } from '@kanshi/auth';
import { principalAs, TENANTS } from '@kanshi/testing';
import { ContractsError } from '../contracts.errors';
import { InvoiceEntity } from './invoice.entity';
import { InvoiceFilter, InvoicesRepository } from './invoices.repository';
import { INVOICE_LIST_LIMIT, InvoicesService } from './invoices.service';

const { C1 } = TENANTS;

function serviceWith(count: number) {
  const invoices = Array.from({ length: count }, (_, i) => ({ id: `i${i}`, period: '2026-10' }) as InvoiceEntity);
  const repo = { list: jest.fn(async (_scope: TenantScope, _filter: InvoiceFilter, limit?: number) => invoices.slice(0, limit ?? invoices.length)) };
  const sut = new InvoicesService(null as never, repo as unknown as InvoicesRepository, null as never, null as never, null as never, null as never);
  return { sut, repo };
}

describe('Query.invoices (the page-less list)', () => {
  it(`answers up to ${INVOICE_LIST_LIMIT} invoices, reading one more than that at most`, async () => {
    const { sut, repo } = serviceWith(INVOICE_LIST_LIMIT);
    expect(await sut.list(principalAs('provider_admin'), {})).toHaveLength(INVOICE_LIST_LIMIT);
    expect(repo.list.mock.calls[0][2]).toBe(INVOICE_LIST_LIMIT + 1);
  });

  it('refuses more as BAD_USER_INPUT saying how to narrow the list or to page it', async () => {
    const { sut } = serviceWith(INVOICE_LIST_LIMIT + 1);
    const err = await sut.list(principalAs('provider_admin'), {}).catch((e: unknown) => e);
    expect(ContractsError.is(err, 'TOO_MANY_INVOICES')).toBe(true);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', message: `more than ${INVOICE_LIST_LIMIT} invoices match: narrow the list by customerId or period, or read them a page at a time with invoicePage` });
    const narrowed = await sut.list(principalAs('provider_admin'), { customerId: C1, period: '2026-10' }).catch((e: unknown) => e);
    expect(narrowed).toMatchObject({ message: `more than ${INVOICE_LIST_LIMIT} invoices match: read them a page at a time with invoicePage` });
  });
});
