import { AccessError, Principal, Role, visibleCustomerOrThrow } from '@kanshi/auth';
import { DataSource } from 'typeorm';
import { TenantDirectory } from '@kanshi/platform';
import { ImportIocsInput } from './import-iocs.input';
import { ParsedIndicator } from './ioc-import';
import { IocListEntity } from './ioc-list.entity';
import { IocMatcher } from './ioc-matcher';
import { IocError } from './iocs.errors';
import { IocsRepository } from './iocs.repository';
import { IocsService } from './iocs.service';

const C1 = '00000000-0000-4000-8000-0000000000c1';
const C2 = '00000000-0000-4000-8000-0000000000c2';
const as = (role: Role) => Principal.fromClaims({ sub: `u-${role}`, role, partnerId: 'p1', customerId: C1 }, 't');

function setup() {
  const lists: IocListEntity[] = [];
  const stored: { listId: string; indicators: ParsedIndicator[] }[] = [];
  const customers = new Map([
    [C1, { customerId: C1, partnerId: 'p1' }],
    [C2, { customerId: C2, partnerId: 'p2' }],
  ]);
  const repo = {
    visibleList: jest.fn(async (_em: unknown, scope: { kind: string; customerId?: string }, id: string) => lists.find((l) => l.id === id && (scope.kind === 'all' || l.customerId === scope.customerId)) ?? null),
    upsertList: jest.fn(async (_em: unknown, v: { customerId: string | null; name: string }) => {
      let l = lists.find((x) => x.customerId === v.customerId && x.name === v.name);
      if (!l) lists.push((l = Object.assign(new IocListEntity(), { id: `l${lists.length + 1}`, defaultConfidence: 50, ...v })));
      return l;
    }),
    touchList: jest.fn(async () => undefined),
    upsertIndicators: jest.fn(async (_em: unknown, listId: string, _d: number, indicators: ParsedIndicator[]) => (stored.push({ listId, indicators }), indicators.length)),
    bumpRevision: jest.fn(async () => undefined),
  };
  const ds = { transaction: async (fn: (em: unknown) => unknown) => fn({}) };
  const directory = { visibleCustomerOrThrow: (p: Principal, id: string, field?: string) => visibleCustomerOrThrow({ lookup: async (c) => customers.get(c) ?? null }, p, id, field) };
  const matcher = { invalidate: jest.fn() };
  const sut = new IocsService(ds as unknown as DataSource, repo as unknown as IocsRepository, directory as unknown as TenantDirectory, matcher as unknown as IocMatcher);
  return { sut, ctx: { repo, lists, stored, matcher } };
}

const CSV = 'type,value\ndomain,evil.example\nmd5,nope\n';
const input = (over: Partial<ImportIocsInput> = {}): ImportIocsInput => ({ name: 'Feed', source: 'isac', tlp: 'AMBER', format: 'CSV', content: CSV, ...over });

describe('IocsService.import', () => {
  it('creates a global list for provider staff, imports the good rows, reports the bad, and invalidates the matcher', async () => {
    const { sut, ctx } = setup();
    const r = await sut.import(as('analyst'), input());
    expect(r).toEqual({ listId: 'l1', imported: 1, skipped: [{ row: 3, objectId: null, reason: 'MD5 hash must be hexadecimal' }] });
    expect(ctx.lists[0]).toMatchObject({ customerId: null, name: 'Feed', source: 'isac', tlp: 'AMBER', createdBy: 'u-analyst' });
    expect(ctx.repo.bumpRevision).toHaveBeenCalled();
    expect(ctx.matcher.invalidate).toHaveBeenCalled();
  });

  it("puts a customer admin's list under its own customer", async () => {
    const { sut, ctx } = setup();
    await sut.import(as('customer_admin'), input());
    expect(ctx.lists[0].customerId).toBe(C1);
  });

  it("refuses a customer admin another customer's list as CUSTOMER_NOT_FOUND, and a global list as missing", async () => {
    const { sut, ctx } = setup();
    await expect(sut.import(as('customer_admin'), input({ customerId: C2 }))).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND', field: 'customerId' });
    const { listId } = await sut.import(as('analyst'), input());
    const err = await sut.import(as('customer_admin'), input({ name: undefined, listId })).catch((e: unknown) => e);
    expect(IocError.is(err, 'IOC_LIST_NOT_FOUND')).toBe(true);
    expect(ctx.stored).toHaveLength(1);
  });

  it.each(['engineer', 'sales', 'partner_admin', 'customer_viewer'] as const)('refuses %s and writes nothing', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.import(as(role), input())).rejects.toMatchObject({ kind: 'FORBIDDEN', code: AccessError.Code.FORBIDDEN, message: `role ${role} may not import IOCs` });
    expect(ctx.repo.upsertList).not.toHaveBeenCalled();
  });

  it.each([
    ['neither listId nor name', { name: undefined }],
    ['both listId and name', { listId: '00000000-0000-4000-8000-000000000001' }],
  ])('refuses %s on listId', async (_, over) => {
    const { sut } = setup();
    await expect(sut.import(as('analyst'), input(over))).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', code: 'LIST_TARGET_UNCLEAR', field: 'listId' });
  });

  it('writes nothing for content that is not a list at all', async () => {
    const { sut, ctx } = setup();
    await expect(sut.import(as('analyst'), input({ format: 'STIX', content: 'type,value' }))).rejects.toMatchObject({ kind: 'BAD_USER_INPUT', field: 'content' });
    expect(ctx.repo.upsertList).not.toHaveBeenCalled();
  });
});
