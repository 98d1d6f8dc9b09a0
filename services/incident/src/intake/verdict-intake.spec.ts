import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ManualClock } from '@kanshi/calendar';
import { EventEnvelope, SensorLivenessChangedBody, SensorLivenessChanged, VerdictIssuedV2, VerdictIssuedV2Body } from '@kanshi/events';
import { PermanentEventError } from '@kanshi/messaging';
import { IncidentEntity } from '../incidents/incident.entity';
import { IncidentLifecycle, SeverityDecision } from '../incidents/incident-lifecycle';
import { IncidentDraft, IncidentOpener } from '../incidents/incident-opener';
import { IncidentsRepository, IncidentVerdictRow } from '../incidents/incidents.repository';
import { IncidentWriter } from '../incidents/incident-writer';
import { SensorsRepository } from '../sensors/sensors.repository';
import { IncidentTimeline } from '../timeline/incident-timeline';
import { AvailabilityGate } from './availability-gate';
import { IntakeRepository, LowVerdict } from './intake.repository';
import { VerdictIntake } from './verdict-intake';

const C1 = '00000000-0000-4000-8000-0000000000c1';
const em = {} as EntityManager;

function setup(suppress: string | null = null) {
  const incidents: IncidentEntity[] = [];
  const verdicts = new Map<string, IncidentVerdictRow>();
  const lows = new Map<string, LowVerdict>();
  const decisions: SeverityDecision[] = [];
  const repo = {
    verdict: jest.fn(async (_em: unknown, id: string) => verdicts.get(id) ?? null),
    upsertVerdict: jest.fn(async (_em: unknown, row: IncidentVerdictRow) => void verdicts.set(row.verdictId, row)),
    verdictsOf: jest.fn(async (_em: unknown, incidentId: string) => [...verdicts.values()].filter((v) => v.incidentId === incidentId)),
    openOfGroup: jest.fn(async (_em: unknown, g: string) => incidents.find((i) => i.groupId === g && !['RESOLVED', 'CLOSED'].includes(i.status)) ?? null),
    survivorOfGroup: jest.fn(async (_em: unknown, g: string) => {
      const merged = incidents.filter((i) => i.groupId === g && i.mergedInto).pop();
      const survivor = merged ? incidents.find((i) => i.id === merged.mergedInto) : undefined;
      return survivor && !['RESOLVED', 'CLOSED'].includes(survivor.status) ? survivor : null;
    }),
    openAvailabilityOf: jest.fn(async (_em: unknown, s: string) => incidents.find((i) => i.kind === 'AVAILABILITY' && i.sensorId === s && !['RESOLVED', 'CLOSED'].includes(i.status)) ?? null),
    lock: jest.fn(async (_em: unknown, id: string) => incidents.find((i) => i.id === id) ?? null),
  };
  const intake = {
    low: jest.fn(async (_em: unknown, id: string) => lows.get(id) ?? null),
    countLow: jest.fn(async (_em: unknown, v: Omit<LowVerdict, 'raisedIncidentId'>) => void lows.set(v.verdictId, { ...v, raisedIncidentId: null })),
    markRaised: jest.fn(async () => undefined),
  };
  const sensors = { byId: jest.fn(async () => ({ sensorId: 's', customerId: C1, product: 'FIREEYE_NX', name: 'nx-1' })), setLiveness: jest.fn(async () => undefined) };
  const opener = {
    open: jest.fn(async (_em: unknown, d: IncidentDraft) => {
      const i = { id: randomUUID(), version: 1, status: 'NEW', severityConfirmedAt: null, ...d, groupId: d.groupId ?? null, sensorId: d.sensorId ?? null } as unknown as IncidentEntity;
      incidents.push(i);
      return i;
    }),
  };
  const writer = {
    save: jest.fn(async (_em: unknown, i: IncidentEntity) => ((i.version += 1), i)),
    publishSnapshot: jest.fn(async () => undefined),
    setStatus: jest.fn(async (_em: unknown, i: IncidentEntity, to: IncidentEntity['status']) => void (i.status = to)),
  };
  const timeline = { append: jest.fn(async () => undefined) };
  const lifecycle = new IncidentLifecycle();
  lifecycle.onSeverityDecided(async (_em, _i, d) => void decisions.push(d));
  const gate = { suppression: jest.fn(async () => suppress) };
  const sut = new VerdictIntake(
    repo as unknown as IncidentsRepository,
    intake as unknown as IntakeRepository,
    sensors as unknown as SensorsRepository,
    opener as unknown as IncidentOpener,
    writer as unknown as IncidentWriter,
    timeline as unknown as IncidentTimeline,
    lifecycle,
    gate as unknown as AvailabilityGate,
    new ManualClock(new Date('2026-12-02T01:00:00Z')),
  );
  return { sut, ctx: { incidents, lows, decisions, opener, gate } };
}

function verdict(over: Partial<VerdictIssuedV2Body> = {}, customerId: string | null = C1): EventEnvelope<VerdictIssuedV2Body> {
  const body = {
    verdictId: randomUUID(),
    alertIds: [randomUUID()],
    groupId: null,
    severity: 'HIGH',
    automaticSeverity: 'HIGH',
    overridden: false,
    overrideRationale: null,
    reasons: [],
    recommendedActions: [],
    endpoints: [],
    isolationRecommended: false,
    sensorId: randomUUID(),
    product: 'FIREEYE_NX',
    category: [],
    signature: 'Malware.Emotet',
    blocked: null,
    decidedAt: '2026-12-02T01:00:00.000Z',
    ...over,
  } as VerdictIssuedV2Body;
  return { eventId: randomUUID(), subject: VerdictIssuedV2.subject, occurredAt: '2026-12-02T01:00:00.000Z', customerId, body };
}

const liveness = (status: 'UP' | 'DOWN', sensorId: string): EventEnvelope<SensorLivenessChangedBody> => ({
  eventId: randomUUID(),
  subject: SensorLivenessChanged.subject,
  occurredAt: '2026-12-02T01:00:00.000Z',
  customerId: C1,
  body: { sensorId, status, lastSeenAt: null },
});

describe('VerdictIntake.verdict', () => {
  it('counts a LOW verdict and opens nothing', async () => {
    const { sut, ctx } = setup();
    const e = verdict({ severity: 'LOW' });
    expect(await sut.verdict(em, e)).toBeNull();
    expect(ctx.incidents).toEqual([]);
    expect([...ctx.lows.keys()]).toEqual([e.body.verdictId]);
  });

  it('attaches a group’s later verdicts, raising but never lowering the severity', async () => {
    const { sut, ctx } = setup();
    const groupId = randomUUID();
    await sut.verdict(em, verdict({ groupId, severity: 'MEDIUM' }));
    await sut.verdict(em, verdict({ groupId, severity: 'HIGH' }));
    await sut.verdict(em, verdict({ groupId, severity: 'MEDIUM' }));
    expect(ctx.incidents).toHaveLength(1);
    expect(ctx.incidents[0].severity).toBe('HIGH');
    expect(ctx.decisions.map((d) => [d.previous, d.severity, d.automatic])).toEqual([
      [null, 'MEDIUM', true],
      ['MEDIUM', 'HIGH', true],
    ]);
  });

  it('changes nothing for the same verdict seen again', async () => {
    const { sut, ctx } = setup();
    const e = verdict();
    await sut.verdict(em, e);
    expect(await sut.verdict(em, { ...e, eventId: randomUUID() })).toBeNull();
    expect(ctx.incidents).toHaveLength(1);
    expect(ctx.incidents[0].version).toBe(1);
  });

  it('lowers the severity on an analyst’s override only while incident has no confirmed severity', async () => {
    const { sut, ctx } = setup();
    const e = verdict({ severity: 'HIGH' });
    await sut.verdict(em, e);
    await sut.verdict(em, { ...e, body: { ...e.body, severity: 'MEDIUM', overridden: true } });
    expect(ctx.incidents[0].severity).toBe('MEDIUM');
    ctx.incidents[0].severityConfirmedAt = new Date();
    await sut.verdict(em, { ...e, body: { ...e.body, severity: 'LOW', overridden: true } });
    expect(ctx.incidents[0].severity).toBe('MEDIUM');
  });

  it('parks a verdict that names no customer', async () => {
    const { sut } = setup();
    await expect(sut.verdict(em, verdict({}, null))).rejects.toBeInstanceOf(PermanentEventError);
  });
});

describe('VerdictIntake.liveness', () => {
  it('opens one availability incident on DOWN and resolves it on UP', async () => {
    const { sut, ctx } = setup();
    const sensorId = randomUUID();
    await sut.liveness(em, liveness('DOWN', sensorId));
    await sut.liveness(em, liveness('DOWN', sensorId));
    expect(ctx.incidents).toHaveLength(1);
    expect(ctx.incidents[0]).toMatchObject({ kind: 'AVAILABILITY', severity: 'MEDIUM', title: 'Sensor nx-1 is down' });
    await sut.liveness(em, liveness('UP', sensorId));
    expect(ctx.incidents[0].status).toBe('RESOLVED');
  });

  it('opens nothing when the availability gate suppresses it (a maintenance window)', async () => {
    const { sut, ctx } = setup('maintenance window: version upgrade');
    await sut.liveness(em, liveness('DOWN', randomUUID()));
    expect(ctx.incidents).toEqual([]);
    expect(ctx.gate.suppression).toHaveBeenCalledWith(em, expect.objectContaining({ customerId: C1 }));
  });
});
