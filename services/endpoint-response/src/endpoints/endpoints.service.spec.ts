import { DataSource } from 'typeorm';
import { AccessError, TenantScope } from '@kanshi/auth';
import { Outbox } from '@kanshi/messaging';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { EndpointEntity } from './endpoint.entity';
import { EndpointError } from './endpoints.errors';
import { EndpointsRepository } from './endpoints.repository';
import { EndpointsService } from './endpoints.service';
import { RegisterEndpointInput } from './register-endpoint.input';

const { P1, C1, C2 } = TENANTS;
const as = principalAs;

function setup() {
  const endpoints: EndpointEntity[] = [];
  const repo = {
    findVisible: jest.fn(async (_scope: TenantScope, customerIds?: readonly string[]) => endpoints.filter((e) => !customerIds || customerIds.includes(e.customerId))),
    agentTaken: jest.fn(async (_em: unknown, product: string, agentId: string) => endpoints.some((e) => e.edrProduct === product && e.edrAgentId === agentId)),
    insert: jest.fn(async (_em: unknown, values: Partial<EndpointEntity>) => {
      const e = { id: `e${endpoints.length + 1}`, isolated: false, lastSeenAt: null, createdAt: new Date(), ...values } as EndpointEntity;
      endpoints.push(e);
      return e;
    }),
  };
  const directory = fakeTenantDirectory();
  const ds = { transaction: (work: (em: unknown) => Promise<unknown>) => work({}) };
  const events: { subject: string; body: any; customerId: string | null }[] = [];
  const outbox = { add: jest.fn(async (_em: unknown, def: { subject: string }, body: unknown, opts: { customerId: string | null }) => void events.push({ subject: def.subject, body, customerId: opts.customerId })) };
  const sut = new EndpointsService(ds as unknown as DataSource, repo as unknown as EndpointsRepository, directory, outbox as unknown as Outbox);
  return { sut, ctx: { repo, endpoints, events } };
}

const input = (over: Partial<RegisterEndpointInput> = {}): RegisterEndpointInput => ({ customerId: C1, hostName: 'pc-001', edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: 'agent-1', ...over });

describe('EndpointsService.register', () => {
  it('registers an endpoint with defaults and publishes it as an inventory change (version 1)', async () => {
    const { sut, ctx } = setup();
    const e = await sut.register(as('engineer'), input());
    expect(e).toMatchObject({ customerId: C1, hostName: 'pc-001', ipAddresses: [], os: null, edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: 'agent-1', source: 'MANUAL', version: 1 });
    expect(ctx.events).toEqual([
      {
        subject: 'response.endpoint.changed.v1',
        customerId: C1,
        body: { endpointId: e.id, version: 1, hostName: 'pc-001', ips: [], os: null, edrProduct: 'CROWDSTRIKE_FALCON', agentId: 'agent-1', lastSeenAt: null, isolated: false, retired: false },
      },
    ]);
  });

  it.each(['analyst', 'sales', 'partner_admin', 'customer_admin'] as const)('refuses %s and writes nothing', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.register(as(role, { partnerId: P1, customerId: C1 }), input())).rejects.toMatchObject({ kind: 'FORBIDDEN', message: `role ${role} may not register endpoints` });
    expect(ctx.repo.insert).not.toHaveBeenCalled();
    expect(ctx.events).toEqual([]);
  });

  it('answers an unknown customer with CUSTOMER_NOT_FOUND on customerId', async () => {
    const { sut, ctx } = setup();
    const err = await sut.register(as('provider_admin'), input({ customerId: '00000000-0000-4000-8000-0000000000ff' })).catch((e: unknown) => e);
    expect(AccessError.is(err, 'CUSTOMER_NOT_FOUND')).toBe(true);
    expect(err).toMatchObject({ kind: 'NOT_FOUND', field: 'customerId' });
    expect(ctx.repo.insert).not.toHaveBeenCalled();
  });

  it('refuses an agent id already registered for that product, naming edrAgentId', async () => {
    const { sut, ctx } = setup();
    await sut.register(as('engineer'), input());
    const err = await sut.register(as('engineer'), input({ hostName: 'pc-002' })).catch((e: unknown) => e);
    expect(EndpointError.is(err, 'DUPLICATE_AGENT')).toBe(true);
    expect(err).toMatchObject({ kind: 'CONFLICT', field: 'edrAgentId', message: 'CROWDSTRIKE_FALCON agent agent-1 is already registered' });
    // the same agent id under another EDR is another agent
    await sut.register(as('engineer'), input({ edrProduct: 'CYBEREASON' }));
    expect(ctx.endpoints).toHaveLength(2);
  });
});

describe('EndpointsService reads', () => {
  it('asks the repository within the caller’s scope', async () => {
    const { sut, ctx } = setup();
    await sut.list(as('partner_admin', { partnerId: P1 }), C1);
    expect(ctx.repo.findVisible).toHaveBeenCalledWith({ kind: 'partner', partnerId: P1 }, [C1]);
    await sut.list(as('customer_viewer', { customerId: C2 }));
    expect(ctx.repo.findVisible).toHaveBeenLastCalledWith({ kind: 'customer', customerId: C2 }, undefined);
  });

  it('groups endpoints by customer, with an empty list for a customer without any', async () => {
    const { sut } = setup();
    const a = await sut.register(as('engineer'), input({ edrAgentId: 'a' }));
    const b = await sut.register(as('engineer'), input({ edrAgentId: 'b' }));
    const byCustomer = await sut.byCustomers(as('provider_admin'), [C1, C2]);
    expect(byCustomer).toEqual(
      new Map([
        [C1, [a, b]],
        [C2, []],
      ]),
    );
  });
});
