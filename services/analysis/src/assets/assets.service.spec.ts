import { DataSource, EntityManager } from 'typeorm';
import { Role } from '@kanshi/auth';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { AssetContextService } from './asset-context.service';
import { AssetError } from './assets.errors';
import { AssetBinding, AssetsRepository, CriticalAssetRow, InventoryEndpoint, InventoryProbe } from './assets.repository';
import { AssetsService } from './assets.service';

function setup() {
  const critical: CriticalAssetRow[] = [];
  const bindings: (AssetBinding & { customerId: string })[] = [];
  const inventory: InventoryEndpoint[] = [];
  const repo = {
    // the SQL's matching, over the in-memory inventory (most recently seen first)
    inventoryCandidates: jest.fn(async (customerId: string, p: InventoryProbe) =>
      inventory
        .filter((e) => e.customerId === customerId)
        .map((e) => ({
          endpoint: e,
          byAgent: p.agentId !== null && e.agentId === p.agentId,
          byHost: p.hostName !== null && [e.hostName.toLowerCase(), e.hostName.toLowerCase().split('.')[0]].includes(p.hostName.toLowerCase()),
          byIp: p.ip !== null && e.ips.includes(p.ip),
        }))
        .filter((c) => c.byAgent || c.byHost || c.byIp)
        .sort((x, y) => (y.endpoint.lastSeenAt?.getTime() ?? 0) - (x.endpoint.lastSeenAt?.getTime() ?? 0)),
    ),
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
  const context = new AssetContextService(repo as unknown as AssetsRepository, { subscribers: [] } as unknown as DataSource);
  const sut = new AssetsService(repo as unknown as AssetsRepository, fakeTenantDirectory(), context);
  return { sut, ctx: { repo, context, critical, bindings, inventory, tx: {} as EntityManager } };
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

  describe('resolving against the inventory', () => {
    const endpoint = (over: Partial<InventoryEndpoint>): InventoryEndpoint => ({
      endpointId: 'e1',
      customerId: TENANTS.C1,
      version: 1,
      hostName: 'PC-ENG-004.corp.example',
      ips: ['10.1.2.3'],
      os: 'Windows 11',
      edrProduct: 'CROWDSTRIKE_FALCON',
      agentId: 'agent-1',
      lastSeenAt: new Date('2026-11-02T01:00:00Z'),
      isolated: false,
      ...over,
    });

    it('gives an alert naming only an IP the host name and endpoint id, and one naming only a short host name the endpoint id', async () => {
      const { ctx } = setup();
      ctx.inventory.push(endpoint({}));
      const byIp = await ctx.context.contextOf(TENANTS.C1, [{ hostName: null, ip: '10.1.2.3', endpointId: null }]);
      expect(byIp.endpoints).toEqual([{ hostName: 'pc-eng-004.corp.example', ip: '10.1.2.3', endpointId: 'e1', agentId: 'agent-1' }]);
      expect(byIp.managed.map((m) => m.endpointId)).toEqual(['e1']);
      const byName = await ctx.context.contextOf(TENANTS.C1, [{ hostName: 'pc-eng-004', ip: null, endpointId: null }]);
      expect(byName.endpoints).toEqual([{ hostName: 'pc-eng-004', ip: null, endpointId: 'e1', agentId: 'agent-1' }]);
      // another customer's same address and name are another machine
      const other = await ctx.context.contextOf(TENANTS.C2, [{ hostName: null, ip: '10.1.2.3', endpointId: null }]);
      expect(other).toMatchObject({ endpoints: [{ hostName: null, ip: '10.1.2.3' }], managed: [] });
    });

    it('does not give an alert naming a host the endpoint that only shares its address; prefers the agent id, then the newest', async () => {
      const { ctx } = setup();
      ctx.inventory.push(endpoint({}), endpoint({ endpointId: 'e2', hostName: 'pc-eng-009', agentId: 'agent-9', lastSeenAt: new Date('2026-11-03T00:00:00Z') }));
      // e2 holds the address now (seen last); the alert names another host: no endpoint
      expect((await ctx.context.contextOf(TENANTS.C1, [{ hostName: 'lab-01', ip: '10.1.2.3', endpointId: null }])).managed).toEqual([]);
      // only the IP: the endpoint seen with it most recently
      expect((await ctx.context.contextOf(TENANTS.C1, [{ hostName: null, ip: '10.1.2.3', endpointId: null }])).endpoints[0]).toMatchObject({ endpointId: 'e2', hostName: 'pc-eng-009' });
      // the agent id outweighs the address
      expect((await ctx.context.contextOf(TENANTS.C1, [{ hostName: null, ip: '10.1.2.3', endpointId: 'agent-1' }])).endpoints[0]).toMatchObject({ endpointId: 'e1' });
    });

    it('forgets cached lookups when the inventory changes', async () => {
      const { ctx } = setup();
      const probe = [{ hostName: null, ip: '10.7.7.7', endpointId: null }];
      expect((await ctx.context.contextOf(TENANTS.C1, probe)).managed).toEqual([]);
      ctx.inventory.push(endpoint({ ips: ['10.7.7.7'] }));
      const upsertInventoryEndpoint = jest.fn(async () => undefined);
      Object.assign(ctx.repo, { upsertInventoryEndpoint });
      await ctx.context.remember(ctx.tx, TENANTS.C1, { endpointId: 'e1', version: 1, hostName: 'PC-ENG-004.corp.example', ips: ['10.7.7.7'], os: null, edrProduct: null, agentId: null, lastSeenAt: null, isolated: false, retired: false });
      expect(upsertInventoryEndpoint).toHaveBeenCalledTimes(1);
      expect((await ctx.context.contextOf(TENANTS.C1, probe)).managed.map((m) => m.endpointId)).toEqual(['e1']);
    });
  });
});
