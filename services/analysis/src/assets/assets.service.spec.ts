import { EntityManager } from 'typeorm';
import { Role } from '@kanshi/auth';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { AssetContextService } from './asset-context.service';
import { AssetError } from './assets.errors';
import { AssetBinding, AssetsRepository, CriticalAssetRow } from './assets.repository';
import { AssetsService } from './assets.service';

function setup() {
  const critical: CriticalAssetRow[] = [];
  const bindings: (AssetBinding & { customerId: string })[] = [];
  const repo = {
    upsertBinding: jest.fn(async (_tx: EntityManager, customerId: string, b: AssetBinding) => {
      bindings.push({ customerId, ...b });
    }),
    hostNameOfIp: jest.fn(async (customerId: string, ip: string) => bindings.find((b) => b.customerId === customerId && b.ip === ip && b.hostName)?.hostName ?? null),
    allCritical: jest.fn(async () => critical),
    listCritical: jest.fn(async () => critical),
    insertCritical: jest.fn(async (v: Omit<CriticalAssetRow, 'id' | 'createdAt'>) => {
      if (critical.some((c) => c.customerId === v.customerId && c.hostName === v.hostName && c.ip === v.ip)) return null;
      const row = { id: `a${critical.length + 1}`, createdAt: new Date(), ...v };
      critical.push(row);
      return row;
    }),
  };
  const context = new AssetContextService(repo as unknown as AssetsRepository);
  const sut = new AssetsService(repo as unknown as AssetsRepository, fakeTenantDirectory(), context);
  return { sut, ctx: { repo, context, critical, bindings, tx: {} as EntityManager } };
}

const c1Admin = principalAs('customer_admin', { customerId: TENANTS.C1 });

describe('AssetsService.markCriticalAsset', () => {
  it('lets a customer admin mark its own asset; the next alert on it sees it at once', async () => {
    const { sut, ctx } = setup();
    expect((await ctx.context.contextOf(TENANTS.C1, [{ hostName: 'dc-01', ip: null, endpointId: null }])).critical).toEqual([]);
    const row = await sut.markCriticalAsset(c1Admin, { customerId: TENANTS.C1, hostName: ' DC-01 ', note: 'domain controller' });
    expect(row).toMatchObject({ customerId: TENANTS.C1, hostName: 'dc-01', ip: null, note: 'domain controller', createdBy: 'u-customer_admin' });
    expect((await ctx.context.contextOf(TENANTS.C1, [{ hostName: 'dc-01', ip: null, endpointId: null }])).critical).toEqual([row]);
  });

  it('answers another customer’s id as CUSTOMER_NOT_FOUND and writes nothing', async () => {
    const { sut, ctx } = setup();
    await expect(sut.markCriticalAsset(c1Admin, { customerId: TENANTS.C2, ip: '10.0.0.1', note: 'x' })).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'CUSTOMER_NOT_FOUND', field: 'customerId' });
    expect(ctx.repo.insertCritical).not.toHaveBeenCalled();
  });

  it.each<Role>(['customer_viewer', 'sales', 'partner_admin'])('is FORBIDDEN to %s', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.markCriticalAsset(principalAs(role, { customerId: TENANTS.C1, partnerId: TENANTS.P1 }), { customerId: TENANTS.C1, ip: '10.0.0.1', note: 'x' })).rejects.toMatchObject({
      kind: 'FORBIDDEN',
      message: `role ${role} may not mark critical assets`,
    });
    expect(ctx.repo.insertCritical).not.toHaveBeenCalled();
  });

  it('needs a host name or an IP address, and refuses the same asset twice', async () => {
    const { sut } = setup();
    const unnamed = await sut.markCriticalAsset(c1Admin, { customerId: TENANTS.C1, note: 'x' }).catch((e: unknown) => e);
    expect(AssetError.is(unnamed, 'ASSET_UNNAMED')).toBe(true);
    expect(unnamed).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'hostName' });
    await sut.markCriticalAsset(c1Admin, { customerId: TENANTS.C1, ip: '10.0.0.1', note: 'x' });
    await expect(sut.markCriticalAsset(principalAs('analyst'), { customerId: TENANTS.C1, ip: '10.0.0.1', note: 'y' })).rejects.toMatchObject({ kind: 'CONFLICT', code: 'ALREADY_CRITICAL', field: 'ip' });
  });
});

describe('AssetContextService', () => {
  it('writes a binding only when it is new (or an hour later), and fills a host name from an IP learned earlier', async () => {
    const { ctx } = setup();
    const at = new Date('2026-11-02T01:00:00Z');
    const ep = { hostName: 'PC-ENG-004', ip: '10.1.2.3', endpointId: 'agent-1' };
    await ctx.context.learn(ctx.tx, TENANTS.C1, [ep], at);
    await ctx.context.learn(ctx.tx, TENANTS.C1, [ep], new Date(at.getTime() + 60_000));
    expect(ctx.repo.upsertBinding).toHaveBeenCalledTimes(1);
    await ctx.context.learn(ctx.tx, TENANTS.C1, [ep], new Date(at.getTime() + 3_600_000));
    expect(ctx.repo.upsertBinding).toHaveBeenCalledTimes(2);
    const found = await ctx.context.contextOf(TENANTS.C1, [{ hostName: null, ip: '10.1.2.3', endpointId: null }]);
    expect(found.endpoints).toEqual([{ hostName: 'pc-eng-004', ip: '10.1.2.3' }]);
    // another customer's same private address is another machine
    expect((await ctx.context.contextOf(TENANTS.C2, [{ hostName: null, ip: '10.1.2.3', endpointId: null }])).endpoints).toEqual([{ hostName: null, ip: '10.1.2.3' }]);
  });

  it('finds a critical asset marked by host name on an alert that names only its IP', async () => {
    const { sut, ctx } = setup();
    await ctx.context.learn(ctx.tx, TENANTS.C1, [{ hostName: 'fs-01', ip: '10.9.9.9', endpointId: null }], new Date());
    await sut.markCriticalAsset(c1Admin, { customerId: TENANTS.C1, hostName: 'fs-01', note: 'file server' });
    const found = await ctx.context.contextOf(TENANTS.C1, [{ hostName: null, ip: '10.9.9.9', endpointId: null }]);
    expect(found.critical.map((c) => c.note)).toEqual(['file server']);
    expect((await ctx.context.contextOf(TENANTS.C2, [{ hostName: 'fs-01', ip: null, endpointId: null }])).critical).toEqual([]);
  });
});
