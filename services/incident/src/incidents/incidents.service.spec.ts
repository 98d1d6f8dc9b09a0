import { DataSource } from 'typeorm';
import { AccessError, TenantScope } from '@kanshi/auth';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { IncidentOpened } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { IncidentEntity } from './incident.entity';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';
import { OpenIncidentInput } from './open-incident.input';

const { P1, P2, C1 } = TENANTS;
const as = principalAs;

function setup() {
  const incidents: IncidentEntity[] = [];
  const events: { subject: string; body: unknown; customerId: string | null }[] = [];
  const repo = {
    page: jest.fn(async (_scope: TenantScope, _filter: unknown, limit: number) => [...incidents].reverse().slice(0, limit)),
    visibleByIds: jest.fn(async (_scope: TenantScope, ids: readonly string[]) => incidents.filter((i) => ids.includes(i.id))),
    insert: jest.fn(async (_em: unknown, values: Partial<IncidentEntity>) => {
      const i = { id: `i${incidents.length + 1}`, status: 'NEW', createdAt: new Date(Date.UTC(2026, 10, 1, 0, incidents.length)), ...values } as IncidentEntity;
      incidents.push(i);
      return i;
    }),
  };
  const outbox = {
    add: jest.fn(async (_em: unknown, def: { subject: string }, body: unknown, opts: { customerId: string | null }) => {
      events.push({ subject: def.subject, body, customerId: opts.customerId });
      return 'event-id';
    }),
  };
  const directory = fakeTenantDirectory();
  const ds = { transaction: (work: (em: unknown) => Promise<unknown>) => work({}) };
  const sut = new IncidentsService(ds as unknown as DataSource, repo as unknown as IncidentsRepository, directory, outbox as unknown as Outbox);
  return { sut, ctx: { repo, incidents, events } };
}

const input = (over: Partial<OpenIncidentInput> = {}): OpenIncidentInput => ({ customerId: C1, severity: 'HIGH', title: 'Emotet on pc-001', ...over });

describe('IncidentsService.open', () => {
  it('opens the incident and writes incident.opened for the customer in the same transaction', async () => {
    const { sut, ctx } = setup();
    const incident = await sut.open(as('analyst'), input());
    expect(incident).toMatchObject({ customerId: C1, severity: 'HIGH', status: 'NEW', title: 'Emotet on pc-001', description: '', openedBy: 'u-analyst' });
    expect(ctx.events).toEqual([{ subject: IncidentOpened.subject, customerId: C1, body: { incidentId: incident.id, severity: 'HIGH', status: 'NEW', title: 'Emotet on pc-001' } }]);
  });

  it.each(['sales', 'partner_admin', 'customer_admin', 'customer_viewer'] as const)('refuses %s and writes nothing', async (role) => {
    const { sut, ctx } = setup();
    await expect(sut.open(as(role, { partnerId: P1, customerId: C1 }), input())).rejects.toMatchObject({ kind: 'FORBIDDEN', message: `role ${role} may not open incidents` });
    expect(ctx.incidents).toEqual([]);
    expect(ctx.events).toEqual([]);
  });

  it.each([
    ['an unknown customer', '00000000-0000-4000-8000-0000000000ff'],
    ['a malformed customer id', 'not-a-uuid'],
  ])('answers %s with CUSTOMER_NOT_FOUND on customerId', async (_, customerId) => {
    const { sut, ctx } = setup();
    const err = await sut.open(as('provider_admin'), input({ customerId })).catch((e: unknown) => e);
    expect(AccessError.is(err, 'CUSTOMER_NOT_FOUND')).toBe(true);
    expect(err).toMatchObject({ kind: 'NOT_FOUND', field: 'customerId', message: `customer ${customerId} not found` });
    expect(ctx.events).toEqual([]);
  });
});

describe('IncidentsService reads', () => {
  it('asks the repository within the caller’s scope, for one more row than the page', async () => {
    const { sut, ctx } = setup();
    await sut.page(as('partner_admin', { partnerId: P2 }), { severity: 'LOW' }, 10, 'cursor');
    expect(ctx.repo.page).toHaveBeenCalledWith({ kind: 'partner', partnerId: P2 }, { severity: 'LOW' }, 11, 'cursor');
  });

  it('pages newest first with a cursor to continue from', async () => {
    const { sut } = setup();
    for (const title of ['one', 'two', 'three']) await sut.open(as('engineer'), input({ title }));
    const page = await sut.page(as('customer_viewer', { customerId: C1 }), {}, 2);
    expect(page.edges.map((e) => e.node.title)).toEqual(['three', 'two']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[1].cursor });
    const all = await sut.page(as('customer_viewer', { customerId: C1 }), {}, 3);
    expect(all.pageInfo.hasNextPage).toBe(false);
  });

  it('maps visible incidents by id, leaving out the rest', async () => {
    const { sut } = setup();
    const i = await sut.open(as('engineer'), input());
    expect(await sut.visibleByIds(as('customer_admin', { customerId: C1 }), [i.id, 'other'])).toEqual(new Map([[i.id, i]]));
  });
});
