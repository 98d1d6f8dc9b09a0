// One customer's November 2026 (and some of October) as other services' events would tell it:
// the figures the monthly report specs check.
import { randomUUID } from 'node:crypto';
import {
  ContractActivated,
  ContractEntitlementsBody,
  EndpointIsolated,
  IncidentUpdated,
  MaintenanceWindowChanged,
  SensorLivenessChanged,
  SensorRegistered,
  SensorVersionChanged,
  VerdictIssuedV2,
  WorkOrderRecorded,
} from '@kanshi/events';
import { ReportingKit } from '../int-spec-helpers';
import { contractBody, incidentBody, isolationBody, verdictBody } from './sample-events';

export const NOVEMBER = { HIGH: 2, MEDIUM: 3, LOW: 5 };
export const OCTOBER = { HIGH: 1, MEDIUM: 1, LOW: 2 };

export async function seedCustomerMonth(kit: ReportingKit, customerId: string, contract: Partial<ContractEntitlementsBody> = {}): Promise<{ sensorId: string; events: string[] }> {
  const events: string[] = [];
  const pub: ReportingKit['publish'] = async (def, c, body, opts) => {
    const e = await kit.publish(def, c, body, opts);
    events.push(e.eventId);
    return e;
  };
  await pub(ContractActivated, customerId, contractBody(customerId, { startDate: '2026-04-01', ...contract }));
  const sensorId = randomUUID();
  await pub(SensorRegistered, customerId, { sensorId, product: 'FIREEYE_NX', name: 'NX-本社-01' }, { occurredAt: '2026-04-02T00:00:00Z' });
  let n = 0;
  for (const [month, counts] of [
    ['2026-11', NOVEMBER],
    ['2026-10', OCTOBER],
  ] as const) {
    for (const [severity, count] of Object.entries(counts) as ['HIGH' | 'MEDIUM' | 'LOW', number][]) {
      for (let i = 0; i < count; i++) {
        const day = String(3 + (n++ % 20)).padStart(2, '0');
        await pub(
          VerdictIssuedV2,
          customerId,
          verdictBody({ sensorId, severity, decidedAt: `${month}-${day}T01:00:00Z`, signature: severity === 'LOW' ? 'ET SCAN Nmap' : 'Trojan.Emotet', category: severity === 'LOW' ? ['network'] : ['malware'] }),
        );
      }
    }
  }
  // Two incidents in November: the analysis clock met on one, breached on the other.
  const met = incidentBody({
    openedAt: '2026-11-03T01:00:00Z',
    title: 'Emotet の感染',
    sla: [{ clock: 'ANALYSIS', dueAt: '2026-11-03T01:30:00Z', metAt: '2026-11-03T01:20:00Z', breached: false }],
  });
  const breached = incidentBody({
    openedAt: '2026-11-10T01:00:00Z',
    title: 'C2 通信',
    severity: 'MEDIUM',
    sla: [{ clock: 'ANALYSIS', dueAt: '2026-11-10T01:30:00Z', metAt: '2026-11-10T02:10:00Z', breached: true }],
  });
  await pub(IncidentUpdated, customerId, met);
  await pub(IncidentUpdated, customerId, breached);
  await pub(EndpointIsolated, customerId, isolationBody(met.incidentId, { at: '2026-11-03T01:25:00Z', hostName: 'PC-経理-03' }));
  // 7.2 h down of November's 720 h: 99.00 % up.
  await pub(SensorLivenessChanged, customerId, { sensorId, status: 'DOWN', lastSeenAt: null }, { occurredAt: '2026-11-12T00:00:00Z' });
  await pub(SensorLivenessChanged, customerId, { sensorId, status: 'UP', lastSeenAt: null }, { occurredAt: '2026-11-12T07:12:00Z' });
  // As incident publishes them (its maintenance int spec checks the same shapes): a work order
  // with the window it planned, then its outcome.
  const workOrderId = randomUUID();
  const windowId = randomUUID();
  await pub(MaintenanceWindowChanged, customerId, {
    windowId,
    sensorId,
    startsAt: '2026-11-20T13:00:00.000Z',
    endsAt: '2026-11-20T15:00:00.000Z',
    reason: 'VERSION_UPGRADE',
    cancelled: false,
    note: 'NX OS 10.0 へのアップグレード',
    workOrderId,
  });
  const order = {
    workOrderId,
    sensorId,
    kind: 'VERSION_UPGRADE' as const,
    plannedStart: '2026-11-20T13:00:00.000Z',
    plannedEnd: '2026-11-20T15:00:00.000Z',
    engineer: '佐藤 一郎',
    outcome: null,
    completedAt: null,
    fromVersion: '9.0.3',
    toVersion: '10.0.1',
    oldSerial: null,
    newSerial: null,
    notes: null,
    windowId,
  };
  await pub(WorkOrderRecorded, customerId, order, { occurredAt: '2026-11-18T01:00:00Z' });
  await pub(WorkOrderRecorded, customerId, { ...order, outcome: 'DONE', completedAt: '2026-11-20T14:30:00.000Z', notes: '再起動 1 回' }, { occurredAt: '2026-11-20T05:31:00Z' });
  await pub(SensorVersionChanged, customerId, { sensorId, product: 'FIREEYE_NX', version: '10.0.1', previousVersion: '9.0.3', seenAt: '2026-11-20T14:20:00.000Z' });
  return { sensorId, events };
}

// Waits until every one of `eventIds` has been applied by reporting's consumers.
export async function applied(kit: ReportingKit, eventIds: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await kit.ds.query(`SELECT count(DISTINCT event_id)::int AS n FROM reporting.inbox WHERE event_id = ANY($1::uuid[])`, [eventIds]);
    if (row.n === eventIds.length) return;
    if (Date.now() > deadline) throw new Error(`only ${row.n} of ${eventIds.length} events were applied`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
