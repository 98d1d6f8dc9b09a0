import { DataSource, EntityManager } from 'typeorm';
import { AccessError, TenantScope } from '@kanshi/auth';
import { BusinessCalendar, ManualClock } from '@kanshi/calendar';
import { IncidentSeverityConfirmed } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { fakeTenantDirectory, principalAs, TENANTS } from '@kanshi/testing';
import { DutyRoster } from '../roster/roster.service';
import { IncidentTimeline, TimelineEntryInput } from '../timeline/incident-timeline';
import { IncidentEntity } from './incident.entity';
import { IncidentLifecycle, SeverityDecision, StatusChange } from './incident-lifecycle';
import { IncidentOpener, IncidentDraft } from './incident-opener';
import { IncidentSla } from './incident-sla';
import { IncidentWriter } from './incident-writer';
import { IncidentError } from './incidents.errors';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';

const { P2, C1, C2 } = TENANTS;
const as = principalAs;
const NOW = new Date('2026-12-02T01:00:00Z');

function incident(over: Partial<IncidentEntity> = {}): IncidentEntity {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    customerId: C1,
    kind: 'SECURITY',
    severity: 'MEDIUM',
    status: 'NEW',
    title: 'Emotet on pc-001',
    version: 1,
    slaPlan: 'MDR',
    slaServiceHours: 'ALWAYS',
    analysisDueAt: new Date('2026-12-02T01:30:00Z'),
    analysisMetAt: null,
    analysisBreached: false,
    firstReportDueAt: null,
    firstReportMetAt: null,
    firstReportBreached: false,
    detailedReportDueAt: null,
    detailedReportMetAt: null,
    detailedReportBreached: false,
    pausedAt: null,
    nextDueAt: new Date('2026-12-02T01:30:00Z'),
    createdAt: NOW,
    ...over,
  } as IncidentEntity;
}

function setup(stored: IncidentEntity[] = [incident()]) {
  const timeline: (TimelineEntryInput & { incidentId: string })[] = [];
  const events: { subject: string; body: unknown }[] = [];
  const saved: { id: string; readVersion: number; status: string }[] = [];
  const statusChanges: StatusChange[] = [];
  const decisions: SeverityDecision[] = [];
  const repo = {
    page: jest.fn(async () => [] as IncidentEntity[]),
    visibleByIds: jest.fn(async () => stored),
    visible: jest.fn(async (_em: unknown, scope: TenantScope, id: string) => {
      const found = stored.find((i) => i.id === id);
      if (!found || (scope.kind === 'customer' && scope.customerId !== found.customerId)) return null;
      return { ...found };
    }),
  };
  const timelineFake = { append: jest.fn(async (_em: unknown, incidentId: string, e: TimelineEntryInput) => void timeline.push({ incidentId, ...e })) };
  const writer = {
    save: jest.fn(async (_em: unknown, i: IncidentEntity, readVersion: number) => {
      const current = stored.find((s) => s.id === i.id)!;
      if (current.version !== readVersion) throw new IncidentError('VERSION_CONFLICT', 'conflict', 'id');
      i.version = readVersion + 1;
      Object.assign(current, i);
      saved.push({ id: i.id, readVersion, status: i.status });
      return i;
    }),
    setStatus: jest.fn(async (_em: unknown, i: IncidentEntity, to: IncidentEntity['status']) => void (i.status = to)),
    publishSnapshot: jest.fn(async () => undefined),
  };
  const opened: IncidentDraft[] = [];
  const opener = { open: jest.fn(async (_em: unknown, d: IncidentDraft) => (opened.push(d), incident({ customerId: d.customerId, title: d.title }))) };
  const outbox = { add: jest.fn(async (_em: unknown, def: { subject: string }, body: unknown) => (events.push({ subject: def.subject, body }), 'id')) };
  const lifecycle = new IncidentLifecycle();
  lifecycle.onStatusChanged(async (_em, _i, c) => void statusChanges.push(c));
  lifecycle.onSeverityDecided(async (_em, _i, d) => void decisions.push(d));
  const sla = new IncidentSla(new BusinessCalendar(), repo as unknown as IncidentsRepository, writer as unknown as IncidentWriter, timelineFake as unknown as IncidentTimeline);
  const roster = { onDuty: jest.fn(async () => null) };
  const ds = { transaction: (work: (em: EntityManager) => Promise<unknown>) => work({} as EntityManager) };
  const sut = new IncidentsService(
    ds as unknown as DataSource,
    repo as unknown as IncidentsRepository,
    fakeTenantDirectory(),
    outbox as unknown as Outbox,
    opener as unknown as IncidentOpener,
    writer as unknown as IncidentWriter,
    timelineFake as unknown as IncidentTimeline,
    lifecycle,
    sla,
    roster as unknown as DutyRoster,
    new ManualClock(NOW),
  );
  return { sut, ctx: { stored, timeline, events, saved, statusChanges, decisions, opened, repo } };
}

describe('IncidentsService.open', () => {
  it('opens through the opener at the clock’s now and publishes the snapshot', async () => {
    const { sut, ctx } = setup([]);
    await sut.open(as('analyst'), { customerId: C1, severity: 'HIGH', title: 'Call from the customer' });
    expect(ctx.opened).toEqual([expect.objectContaining({ customerId: C1, kind: 'SECURITY', severity: 'HIGH', openedBy: 'u-analyst', arrivedAt: NOW })]);
  });

  it.each(['sales', 'partner_admin', 'customer_admin', 'customer_viewer'] as const)('refuses %s and opens nothing', async (role) => {
    const { sut, ctx } = setup([]);
    await expect(sut.open(as(role, { partnerId: P2, customerId: C1 }), { customerId: C1, severity: 'HIGH', title: 'x' })).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    expect(ctx.opened).toEqual([]);
  });

  it('answers an unknown customer with CUSTOMER_NOT_FOUND', async () => {
    const { sut } = setup([]);
    const err = await sut.open(as('analyst'), { customerId: '00000000-0000-4000-8000-0000000000ff', severity: 'HIGH', title: 'x' }).catch((e: unknown) => e);
    expect(AccessError.is(err, 'CUSTOMER_NOT_FOUND')).toBe(true);
  });
});

describe('IncidentsService.confirmSeverity', () => {
  it('stops the analysis clock, starts the MDR report clocks, triages, and tells the lifecycle it was an analyst', async () => {
    const { sut, ctx } = setup();
    const i = await sut.confirmSeverity(as('analyst'), { id: ctx.stored[0].id, severity: 'HIGH', rationale: 'confirmed C2' });
    expect(i).toMatchObject({ severity: 'HIGH', severityConfirmedBy: 'u-analyst', analysisMetAt: NOW, firstReportDueAt: new Date('2026-12-02T02:00:00Z'), version: 2 });
    expect(ctx.saved).toEqual([{ id: i.id, readVersion: 1, status: 'TRIAGED' }]);
    expect(ctx.events.map((e) => e.subject)).toEqual([IncidentSeverityConfirmed.subject]);
    expect(ctx.decisions).toEqual([{ severity: 'HIGH', automatic: false, actor: 'u-analyst', previous: 'MEDIUM' }]);
    expect(ctx.statusChanges).toEqual([{ from: 'NEW', to: 'TRIAGED', actor: 'u-analyst' }]);
  });

  it('refuses a stale expectedVersion with VERSION_CONFLICT and writes nothing', async () => {
    const { sut, ctx } = setup([incident({ version: 3 })]);
    const err = await sut.confirmSeverity(as('analyst'), { id: ctx.stored[0].id, severity: 'HIGH', rationale: 'x', expectedVersion: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'CONFLICT', code: 'VERSION_CONFLICT', field: 'expectedVersion' });
    expect(ctx.saved).toEqual([]);
    expect(ctx.decisions).toEqual([]);
  });

  it('refuses a finished incident', async () => {
    const { sut, ctx } = setup([incident({ status: 'CLOSED' })]);
    await expect(sut.confirmSeverity(as('analyst'), { id: ctx.stored[0].id, severity: 'HIGH', rationale: 'x' })).rejects.toMatchObject({ code: 'INCIDENT_FINISHED' });
  });
});

describe('IncidentsService transitions and access', () => {
  it('names the current and requested status for a move the workflow does not allow', async () => {
    const { sut, ctx } = setup();
    const err = await sut.transition(as('engineer'), { id: ctx.stored[0].id, status: 'CONTAINED' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'BAD_USER_INPUT', field: 'status', message: 'an incident cannot move from NEW to CONTAINED (from NEW it may move to TRIAGED, RESOLVED)' });
    expect(ctx.saved).toEqual([]);
  });

  it('answers another customer’s incident with INCIDENT_NOT_FOUND', async () => {
    const { sut, ctx } = setup();
    await expect(sut.acknowledge(as('customer_admin', { customerId: C2 }), ctx.stored[0].id)).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'INCIDENT_NOT_FOUND' });
    await sut.acknowledge(as('customer_admin', { customerId: C1 }), ctx.stored[0].id);
    expect(ctx.timeline.map((t) => t.kind)).toEqual(['ACKNOWLEDGED']);
  });

  it.each([
    ['partner_admin', 'comment on incidents'],
    ['sales', 'comment on incidents'],
  ] as const)('refuses %s comments', async (role, action) => {
    const { sut, ctx } = setup();
    await expect(sut.comment(as(role, { partnerId: P2 }), { id: ctx.stored[0].id, text: 'hi' })).rejects.toMatchObject({ kind: 'FORBIDDEN', message: `role ${role} may not ${action}` });
  });

  it('pages within the caller’s scope, one row more than asked, in the order asked', async () => {
    const { sut, ctx } = setup();
    await sut.page(as('partner_admin', { partnerId: P2 }), { open: true }, 10, undefined, 'SLA_DUE');
    expect(ctx.repo.page).toHaveBeenCalledWith({ kind: 'partner', partnerId: P2 }, { open: true }, 11, undefined, 'SLA_DUE');
  });
});
