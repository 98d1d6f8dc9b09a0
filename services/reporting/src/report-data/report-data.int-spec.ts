// The read models through reporting's consumers on the real PostgreSQL and NATS: other services'
// events published on JetStream become the facts the reports are built from, once each, the
// newest winning.
import { randomUUID } from 'node:crypto';
import {
  ContractActivated,
  ContractTerminated,
  EndpointIsolated,
  EndpointIsolationFailed,
  EndpointReleased,
  IncidentUpdated,
  MaintenanceWindowChanged,
  SensorLivenessChanged,
  SensorRegistered,
  VerdictIssuedV2,
  WorkOrderRecorded,
} from '@kanshi/events';
import { tokyoMidnight } from '@kanshi/calendar';
import { eventually } from '@kanshi/testing';
import { ReportingKit, startReporting } from '../int-spec-helpers';
import { contractBody, incidentBody, isolationBody, verdictBody } from '../testing/sample-events';
import { ReportFactsRepository } from './report-facts.repository';
import { uptimeOf } from './uptime';

jest.setTimeout(60_000);

let kit: ReportingKit;
let facts: ReportFactsRepository;
beforeAll(async () => {
  kit = await startReporting();
  facts = kit.app.get(ReportFactsRepository);
});
afterAll(() => kit?.close());

describe('verdict statistics', () => {
  it('counts verdicts per Tokyo day by severity, sensor, product, category and signature, LOW included; an override replaces the verdict', async () => {
    const { customerId } = await kit.createCustomer();
    const sensorId = randomUUID();
    await kit.publish(SensorRegistered, customerId, { sensorId, product: 'FIREEYE_NX', name: 'NX-本社' });
    // 2026-11-30 16:00 UTC is 2026-12-01 01:00 in Tokyo: it belongs to December.
    const late = verdictBody({ sensorId, severity: 'MEDIUM', decidedAt: '2026-11-30T16:00:00Z' });
    const high = verdictBody({ sensorId, severity: 'HIGH', decidedAt: '2026-11-03T01:00:00Z', blocked: true });
    const low1 = verdictBody({ sensorId, severity: 'LOW', decidedAt: '2026-11-03T02:00:00Z', signature: 'Port scan', category: ['network'] });
    const low2 = verdictBody({ sensorId, severity: 'LOW', decidedAt: '2026-11-04T02:00:00Z', signature: 'Port scan', category: [], product: 'PALO_ALTO' });
    const overridden = verdictBody({ sensorId, severity: 'MEDIUM', decidedAt: '2026-11-05T02:00:00Z' });
    for (const b of [late, high, low1, low2, overridden]) await kit.publish(VerdictIssuedV2, customerId, b, { occurredAt: '2026-11-30T00:00:00Z' });
    await kit.publish(VerdictIssuedV2, customerId, { ...overridden, severity: 'LOW', overridden: true, overrideRationale: 'test traffic' }, { occurredAt: '2026-11-30T01:00:00Z' });
    // A stale copy of the automatic decision arriving after the override changes nothing.
    const stale = await kit.publish(VerdictIssuedV2, customerId, overridden, { occurredAt: '2026-11-29T00:00:00Z' });
    await eventually(async () => expect(await kit.ds.query(`SELECT 1 FROM reporting.inbox WHERE event_id = $1`, [stale.eventId])).toHaveLength(1));

    const stats = await eventually(async () => {
      const s = await facts.verdictStatistics(customerId, '2026-11-01', '2026-12-01');
      expect(s.bySeverity).toEqual({ HIGH: 1, MEDIUM: 0, LOW: 3 });
      return s;
    });
    expect(stats.total).toBe(4);
    expect(stats.blocked).toBe(1);
    expect(stats.byDay).toEqual([
      { day: '2026-11-03', HIGH: 1, MEDIUM: 0, LOW: 1 },
      { day: '2026-11-04', HIGH: 0, MEDIUM: 0, LOW: 1 },
      { day: '2026-11-05', HIGH: 0, MEDIUM: 0, LOW: 1 },
    ]);
    expect(stats.bySensor).toEqual([{ key: sensorId, label: 'NX-本社', count: 4 }]);
    expect(stats.byProduct).toEqual([
      { key: 'FIREEYE_NX', count: 3 },
      { key: 'PALO_ALTO', count: 1 },
    ]);
    expect(stats.byCategory).toEqual([
      { key: 'network', count: 3 },
      { key: 'malware', count: 2 },
      { key: '(none)', count: 1 },
    ]);
    expect(stats.topSignatures[0]).toEqual({ key: 'Malware.Binary.exe', count: 2 });
    expect(stats.lowBySignature).toEqual([
      { key: 'Port scan', count: 2 },
      { key: 'Malware.Binary.exe', count: 1 },
    ]);
    expect((await facts.verdictStatistics(customerId, '2026-12-01', '2027-01-01')).bySeverity).toEqual({ HIGH: 0, MEDIUM: 1, LOW: 0 });
  });

  it('applies a redelivered verdict once and keeps another customer’s apart', async () => {
    const mine = await kit.createCustomer();
    const theirs = await kit.createCustomer();
    const b = verdictBody({ decidedAt: '2026-10-10T00:00:00Z' });
    const e = await kit.publish(VerdictIssuedV2, mine.customerId, b);
    await kit.republish(VerdictIssuedV2, e);
    await kit.publish(VerdictIssuedV2, theirs.customerId, verdictBody({ decidedAt: '2026-10-10T00:00:00Z' }));
    await eventually(async () => expect((await facts.verdictStatistics(theirs.customerId, '2026-10-01', '2026-11-01')).total).toBe(1));
    expect((await facts.verdictStatistics(mine.customerId, '2026-10-01', '2026-11-01')).total).toBe(1);
    const [row] = await kit.ds.query(`SELECT count(*)::int AS n FROM reporting.inbox WHERE event_id = $1`, [e.eventId]);
    expect(row.n).toBe(1);
  });
});

describe('incidents and isolations', () => {
  it('keeps the newest snapshot of an incident by version, whatever order they arrive in', async () => {
    const { customerId } = await kit.createCustomer();
    const v1 = incidentBody({ status: 'NEW' });
    const v3 = { ...v1, version: 3, status: 'CONTAINED' as const, findings: { whatIsHappening: 'ビーコン通信', howDangerous: null, whatToDo: null } };
    const v2 = { ...v1, version: 2, status: 'NOTIFIED' as const };
    const ids: string[] = [];
    for (const b of [v1, v3, v2]) ids.push((await kit.publish(IncidentUpdated, customerId, b)).eventId);
    await eventually(async () => {
      expect((await facts.incident(v1.incidentId))?.snapshot.version).toBe(3);
    });
    // v2 arrived after v3 and is older: once it has been consumed, v3 still stands.
    await eventually(async () => expect((await kit.ds.query(`SELECT count(*)::int AS n FROM reporting.inbox WHERE event_id = ANY($1::uuid[])`, [ids]))[0].n).toBe(3));
    const incident = await facts.incident(v1.incidentId);
    expect(incident).toMatchObject({ customerId, snapshot: { version: 3, status: 'CONTAINED', findings: { whatIsHappening: 'ビーコン通信' } } });
    expect(await facts.incidentsOpened(customerId, new Date(Date.now() - 60_000), new Date(Date.now() + 60_000))).toHaveLength(1);
  });

  it('logs every isolation outcome of an incident, in order', async () => {
    const { customerId } = await kit.createCustomer();
    const incidentId = randomUUID();
    const first = isolationBody(incidentId, { at: '2026-11-03T01:00:00Z' });
    await kit.publish(EndpointIsolationFailed, customerId, { ...first, error: 'Falcon: 429 rate limited' });
    await kit.publish(EndpointIsolated, customerId, { ...first, at: '2026-11-03T01:05:00Z' });
    await kit.publish(EndpointReleased, customerId, { ...first, at: '2026-11-04T09:00:00Z', vendor: undefined, hostName: undefined });
    const log = await eventually(async () => {
      const l = await facts.isolationsOfIncident(incidentId);
      expect(l).toHaveLength(3);
      return l;
    });
    expect(log.map((o) => [o.outcome, o.at.toISOString(), o.error])).toEqual([
      ['FAILED', '2026-11-03T01:00:00.000Z', 'Falcon: 429 rate limited'],
      ['ISOLATED', '2026-11-03T01:05:00.000Z', null],
      ['RELEASED', '2026-11-04T09:00:00.000Z', null],
    ]);
    expect(await facts.isolationsBetween(customerId, new Date('2026-11-04T00:00:00Z'), new Date('2026-12-01T00:00:00Z'))).toHaveLength(1);
  });
});

describe('sensors, maintenance, contracts', () => {
  it('derives a month’s up-time from liveness changes', async () => {
    const { customerId } = await kit.createCustomer();
    const sensorId = randomUUID();
    await kit.publish(SensorRegistered, customerId, { sensorId, product: 'FORTIGATE', name: 'FGT-01' }, { occurredAt: '2026-01-05T00:00:00Z' });
    await kit.publish(SensorLivenessChanged, customerId, { sensorId, status: 'DOWN', lastSeenAt: null }, { occurredAt: '2026-11-10T00:00:00Z' });
    await kit.publish(SensorLivenessChanged, customerId, { sensorId, status: 'UP', lastSeenAt: null }, { occurredAt: '2026-11-10T07:12:00Z' });
    const from = tokyoMidnight('2026-11-01');
    const to = tokyoMidnight('2026-12-01');
    const changes = await eventually(async () => {
      const c = await facts.livenessChanges(customerId, from, to);
      expect(c).toHaveLength(2);
      return c;
    });
    // 7.2 h of 720 h down: 99.00 %
    expect(uptimeOf(await facts.sensors(customerId), changes, from, to)).toEqual([expect.objectContaining({ name: 'FGT-01', outages: 1, uptimePercent: 99 })]);
  });

  it('keeps maintenance windows (a cancelled one drops out) and work orders of the month', async () => {
    const { customerId } = await kit.createCustomer();
    const windowId = randomUUID();
    const cancelled = randomUUID();
    const w = { windowId, sensorId: null, startsAt: '2026-11-20T13:00:00Z', endsAt: '2026-11-20T15:00:00Z', reason: 'OS アップグレード', cancelled: false };
    await kit.publish(MaintenanceWindowChanged, customerId, w, { occurredAt: '2026-11-01T00:00:00Z' });
    await kit.publish(MaintenanceWindowChanged, customerId, { ...w, reason: 'OS アップグレード (延長)', endsAt: '2026-11-20T16:00:00Z' }, { occurredAt: '2026-11-02T00:00:00Z' });
    await kit.publish(MaintenanceWindowChanged, customerId, { ...w, windowId: cancelled, cancelled: true }, { occurredAt: '2026-11-02T00:00:00Z' });
    await kit.publish(WorkOrderRecorded, customerId, {
      workOrderId: randomUUID(),
      sensorId: randomUUID(),
      kind: 'HARDWARE_REPLACEMENT',
      plannedStart: '2026-11-21T01:00:00Z',
      plannedEnd: '2026-11-21T03:00:00Z',
      engineer: '佐藤',
      outcome: '交換完了',
      completedAt: '2026-11-21T02:40:00Z',
    });
    const from = tokyoMidnight('2026-11-01');
    const to = tokyoMidnight('2026-12-01');
    await eventually(async () => expect(await facts.workOrders(customerId, from, to)).toEqual([expect.objectContaining({ engineer: '佐藤', outcome: '交換完了' })]));
    await eventually(async () => expect(await facts.maintenanceWindows(customerId, from, to)).toEqual([expect.objectContaining({ windowId, reason: 'OS アップグレード (延長)' })]));
  });

  it('knows a customer’s plans in force, contract start and contacts with their language', async () => {
    const { customerId } = await kit.createCustomer();
    const mdr = contractBody(customerId, { startDate: '2026-04-01', escalationContacts: [{ order: 1, name: 'Jane Doe', email: 'jane@example.com', language: 'en' }] });
    const old = contractBody(customerId, { plan: 'FE_ALERT_ANALYSIS', startDate: '2025-04-01', status: 'terminated' });
    await kit.publish(ContractActivated, customerId, mdr);
    await kit.publish(ContractTerminated, customerId, old);
    await eventually(async () => {
      expect(await facts.profile(customerId)).toEqual({
        customerId,
        name: expect.any(String),
        plans: ['MDR'],
        startDate: '2025-04-01',
        contacts: [{ order: 1, name: 'Jane Doe', email: 'jane@example.com', language: 'en' }],
      });
    });
    expect(await facts.customersOnPlans(['MDR'])).toContain(customerId);
    expect(await facts.customersOnPlans(['FE_ALERT_ANALYSIS'])).not.toContain(customerId);
  });
});
