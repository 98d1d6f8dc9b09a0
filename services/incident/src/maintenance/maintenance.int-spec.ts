// Maintenance windows and work orders through the service's GraphQL, on the real PostgreSQL and
// JetStream: access and validation, the events they publish (checked as reporting's consumer
// checks them), and sensor liveness as ingestion publishes it: DOWN inside a live window opens no
// availability incident (and the window counts it); outside one, or once the window is cancelled,
// it does.
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@kanshi/calendar';
import { EventDefinition, EventEnvelope, MaintenanceWindowChanged, SensorLivenessChanged, SensorRegistered, SensorVersionChanged, WorkOrderRecorded } from '@kanshi/events';
import { ConsumerHost, NatsBus, parseEnvelope } from '@kanshi/messaging';
import { JobQueue } from '@kanshi/jobs';
import { eventually, isolatedDatabaseUrl, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { MaintenanceEndedCheck } from '../intake/maintenance-ended';
import { coreSpecConfig } from '../incident.int-kit';

jest.setTimeout(90_000);

// 2026-12-02 10:00 JST
const clock = new ManualClock(new Date('2026-12-02T01:00:00Z'));
let kit: SubgraphKit;
let bus: NatsBus;

beforeAll(async () => {
  kit = await startSubgraph({ service: 'incident', schema: 'incident', loadConfig: coreSpecConfig(await isolatedDatabaseUrl()), module: (config, opts) => AppModule.forRoot(config, { ...opts, clock }) });
  // an availability incident's severity decision queues notification mail
  await kit.app.get(JobQueue).start();
  bus = kit.app.get(NatsBus);
  await kit.app.get(ConsumerHost).start();
});

afterAll(async () => {
  if (!kit) return;
  await kit.app.get(ConsumerHost).stop();
  for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) await bus.jsm.streams.delete(s.config.name);
  await kit.close();
});

async function publish<T>(def: EventDefinition<T>, customerId: string | null, body: T): Promise<void> {
  const eventId = randomUUID();
  const e: EventEnvelope<T> = { eventId, subject: def.subject, occurredAt: new Date().toISOString(), customerId, body };
  await bus.js.publish(bus.subjectOf(def), Buffer.from(JSON.stringify(e)), { msgID: eventId });
}

// A customer with a sensor the incident service knows (from ingestion's sensor.registered).
async function customerWithSensor(opts: { partnerId?: string } = {}) {
  const { customerId, partnerId } = await kit.createCustomer(opts);
  const sensorId = randomUUID();
  await publish(SensorRegistered, customerId, { sensorId, product: 'FORTIGATE', name: `fg-${sensorId.slice(0, 4)}` });
  await eventually(async () => expect(await kit.ds.query(`SELECT 1 FROM incident.sensor WHERE sensor_id = $1`, [sensorId])).toHaveLength(1));
  return { customerId, partnerId, sensorId };
}

// The events as the outbox relay would publish them, parsed and validated the way reporting's
// consumer (ConsumerHost) does.
async function published<T>(def: EventDefinition<T>, customerId: string): Promise<EventEnvelope<T>[]> {
  const rows: { payload: unknown }[] = await kit.ds.query(`SELECT payload FROM incident.outbox WHERE subject = $1 AND payload->>'customerId' = $2 ORDER BY seq`, [def.subject, customerId]);
  return Promise.all(rows.map((r) => parseEnvelope(def, Buffer.from(JSON.stringify(r.payload)))));
}

const incidentsOf = (customerId: string): Promise<{ id: string; kind: string; status: string }[]> =>
  kit.ds.query(`SELECT id, kind, status FROM incident.incident WHERE customer_id = $1 ORDER BY created_at`, [customerId]);

const WINDOW = `id customerId sensorId reason startsAt endsAt note workOrderId cancelledAt cancelledBy suppressedCount lastSuppressedAt createdBy customer { id } sensor { id }`;
const CREATE = `mutation($i: CreateMaintenanceWindowInput!) { createMaintenanceWindow(input: $i) { ${WINDOW} } }`;
const UPDATE = `mutation($i: UpdateMaintenanceWindowInput!) { updateMaintenanceWindow(input: $i) { ${WINDOW} } }`;
const CANCEL = `mutation($id: ID!) { cancelMaintenanceWindow(id: $id) { ${WINDOW} } }`;
const LIST = `query($c: ID, $s: ID, $all: Boolean) { maintenanceWindows(customerId: $c, sensorId: $s, includeCancelled: $all) { ${WINDOW} } }`;
const ONE = `query($id: ID!) { maintenanceWindow(id: $id) { ${WINDOW} } }`;
const ORDER = `id customerId sensorId kind plannedStart plannedEnd engineer fromVersion toVersion oldSerial newSerial note windowId outcome outcomeNotes completedAt outcomeBy sensor { id }`;
const RECORD = `mutation($i: RecordWorkOrderInput!) { recordWorkOrder(input: $i) { ${ORDER} } }`;
const OUTCOME = `mutation($i: RecordWorkOrderOutcomeInput!) { recordWorkOrderOutcome(input: $i) { ${ORDER} } }`;
const ORDERS = `query($c: ID, $s: ID) { workOrders(customerId: $c, sensorId: $s) { ${ORDER} } }`;

// around the clock's now (01:00Z)
const covering = { startsAt: '2026-12-02T00:30:00Z', endsAt: '2026-12-02T03:00:00Z' };

describe('maintenance windows through GraphQL', () => {
  it('an engineer plans, changes and cancels a sensor’s window; each change is published', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    const { createMaintenanceWindow: w } = await kit.ok('engineer', CREATE, { i: { customerId, sensorId, reason: 'VERSION_UPGRADE', ...covering, note: 'FortiOS 7.2 -> 7.4' } });
    expect(w).toMatchObject({ customerId, sensorId, reason: 'VERSION_UPGRADE', startsAt: '2026-12-02T00:30:00.000Z', endsAt: '2026-12-02T03:00:00.000Z', note: 'FortiOS 7.2 -> 7.4', cancelledAt: null, suppressedCount: 0, customer: { id: customerId }, sensor: { id: sensorId } });

    const { updateMaintenanceWindow: u } = await kit.ok('engineer', UPDATE, { i: { id: w.id, endsAt: '2026-12-02T04:00:00Z', reason: 'DEVICE_REPLACEMENT' } });
    expect(u).toMatchObject({ id: w.id, reason: 'DEVICE_REPLACEMENT', endsAt: '2026-12-02T04:00:00.000Z', note: 'FortiOS 7.2 -> 7.4' });

    const { cancelMaintenanceWindow: c } = await kit.ok('provider_admin', CANCEL, { id: w.id });
    expect(c.cancelledAt).toBe(clock.now().toISOString());
    expect(c.cancelledBy).toBeTruthy();
    // again: nothing more happens
    expect((await kit.ok('provider_admin', CANCEL, { id: w.id })).cancelMaintenanceWindow.cancelledAt).toBe(c.cancelledAt);
    const r = await kit.gql('engineer', UPDATE, { i: { id: w.id, note: 'too late' } });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'WINDOW_CANCELLED', field: 'id' } });

    const events = await published(MaintenanceWindowChanged, customerId);
    expect(events.map((e) => [e.body.windowId, e.body.reason, e.body.endsAt, e.body.cancelled])).toEqual([
      [w.id, 'VERSION_UPGRADE', '2026-12-02T03:00:00.000Z', false],
      [w.id, 'DEVICE_REPLACEMENT', '2026-12-02T04:00:00.000Z', false],
      [w.id, 'DEVICE_REPLACEMENT', '2026-12-02T04:00:00.000Z', true],
    ]);
    expect(events[0]).toMatchObject({ customerId, body: { sensorId, startsAt: '2026-12-02T00:30:00.000Z', note: 'FortiOS 7.2 -> 7.4', workOrderId: null } });
    // a cancelled window is left out of the list unless asked for
    expect((await kit.ok('engineer', LIST, { c: customerId })).maintenanceWindows).toEqual([]);
    expect((await kit.ok('engineer', LIST, { c: customerId, all: true })).maintenanceWindows.map((x: { id: string }) => x.id)).toEqual([w.id]);
  });

  it('refuses bad input, naming what is wrong', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    const other = await customerWithSensor();
    const cases: [Record<string, unknown>, string, string, RegExp][] = [
      [{ startsAt: '2026-12-02T03:00:00Z', endsAt: '2026-12-02T03:00:00Z' }, 'BAD_PERIOD', 'endsAt', /end \(2026-12-02T03:00:00.000Z\) must be after the start/],
      [{ startsAt: '2026-12-01T00:00:00Z', endsAt: '2027-01-05T00:00:00Z' }, 'BAD_PERIOD', 'endsAt', /at most 31 days/],
      [{ ...covering, sensorId: other.sensorId }, 'SENSOR_NOT_OF_CUSTOMER', 'sensorId', new RegExp(`sensor ${other.sensorId} is not a sensor of customer ${customerId}`)],
      [{ ...covering, sensorId: randomUUID() }, 'SENSOR_NOT_OF_CUSTOMER', 'sensorId', /is not a sensor of customer/],
    ];
    for (const [over, reason, field, message] of cases) {
      const r = await kit.gql('engineer', CREATE, { i: { customerId, reason: 'OTHER', ...over } });
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason, field } });
      expect(r.errors?.[0].message).toMatch(message);
    }
    const bad = await kit.gql('engineer', CREATE, { i: { customerId, sensorId, reason: 'REBOOT', ...covering } });
    expect(bad.errors?.[0].message).toMatch(/REBOOT/);
    const { createMaintenanceWindow: w } = await kit.ok('engineer', CREATE, { i: { customerId, reason: 'OTHER', ...covering } });
    const r = await kit.gql('engineer', UPDATE, { i: { id: w.id, startsAt: '2026-12-02T05:00:00Z' } });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'BAD_PERIOD', field: 'startsAt' } });
    expect(await published(MaintenanceWindowChanged, customerId)).toHaveLength(1);
  });

  it('customers and partners read their own; another tenant’s is NOT_FOUND or null; they may not plan', async () => {
    const partnerId = randomUUID();
    const a = await customerWithSensor({ partnerId });
    const b = await customerWithSensor();
    const { createMaintenanceWindow: wa } = await kit.ok('engineer', CREATE, { i: { customerId: a.customerId, reason: 'OTHER', ...covering } });
    const { createMaintenanceWindow: wb } = await kit.ok('analyst', CREATE, { i: { customerId: b.customerId, sensorId: b.sensorId, reason: 'OTHER', ...covering } });

    expect((await kit.ok('customer_viewer', LIST, {}, { customerId: a.customerId })).maintenanceWindows.map((w: { id: string }) => w.id)).toEqual([wa.id]);
    expect((await kit.ok('partner_admin', LIST, {}, { partnerId })).maintenanceWindows.map((w: { id: string }) => w.id)).toEqual([wa.id]);
    expect((await kit.ok('customer_admin', ONE, { id: wb.id }, { customerId: a.customerId })).maintenanceWindow).toBeNull();
    expect((await kit.ok('customer_admin', ONE, { id: wa.id }, { customerId: a.customerId })).maintenanceWindow.id).toBe(wa.id);
    const foreign = await kit.gql('customer_admin', LIST, { c: b.customerId }, { customerId: a.customerId });
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const partnerForeign = await kit.gql('partner_admin', ORDERS, { c: b.customerId }, { partnerId });
    expect(partnerForeign.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    // a window asked for by a sensor covers the customer's windows for all sensors too
    expect((await kit.ok('customer_admin', LIST, { s: a.sensorId }, { customerId: a.customerId })).maintenanceWindows.map((w: { id: string }) => w.id)).toEqual([wa.id]);

    for (const [role, ids] of [['customer_admin', { customerId: a.customerId }], ['partner_admin', { partnerId }], ['sales', {}]] as const) {
      const r = await kit.gql(role, CREATE, { i: { customerId: a.customerId, reason: 'OTHER', ...covering } }, ids);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      const c = await kit.gql(role, CANCEL, { id: wa.id }, ids);
      expect(c.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    }
  });
});

describe('maintenance windows and availability incidents', () => {
  const down = (customerId: string, sensorId: string) => publish(SensorLivenessChanged, customerId, { sensorId, status: 'DOWN', lastSeenAt: '2026-12-02T00:40:00.000Z' });
  const up = (customerId: string, sensorId: string) => publish(SensorLivenessChanged, customerId, { sensorId, status: 'UP', lastSeenAt: '2026-12-02T01:00:00.000Z' });
  const suppressed = async (id: string) => (await kit.ok('engineer', ONE, { id })).maintenanceWindow.suppressedCount as number;

  it('a sensor DOWN inside its window opens no incident (the window counts it); another sensor’s window does not cover it', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    const second = randomUUID();
    await publish(SensorRegistered, customerId, { sensorId: second, product: 'FORTIGATE', name: 'fg-second' });
    const { createMaintenanceWindow: w } = await kit.ok('engineer', CREATE, { i: { customerId, sensorId, reason: 'VERSION_UPGRADE', ...covering } });
    await down(customerId, sensorId);
    await eventually(async () => expect(await suppressed(w.id)).toBe(1));
    expect(await incidentsOf(customerId)).toEqual([]);
    expect((await kit.ok('engineer', ONE, { id: w.id })).maintenanceWindow.lastSuppressedAt).toBe(clock.now().toISOString());
    // the other sensor of the customer is not in this window
    await down(customerId, second);
    await eventually(async () => expect(await incidentsOf(customerId)).toMatchObject([{ kind: 'AVAILABILITY', status: 'NEW' }]));
    expect(await suppressed(w.id)).toBe(1);
  });

  it('a customer-wide window covers every sensor of the customer', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    const { createMaintenanceWindow: w } = await kit.ok('engineer', CREATE, { i: { customerId, reason: 'DEVICE_REPLACEMENT', ...covering } });
    await down(customerId, sensorId);
    await eventually(async () => expect(await suppressed(w.id)).toBe(1));
    expect(await incidentsOf(customerId)).toEqual([]);
  });

  it('outside the window (over, or not begun) DOWN opens the incident', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    const { createMaintenanceWindow: past } = await kit.ok('engineer', CREATE, { i: { customerId, sensorId, reason: 'OTHER', startsAt: '2026-12-01T22:00:00Z', endsAt: '2026-12-02T01:00:00Z' } });
    const { createMaintenanceWindow: future } = await kit.ok('engineer', CREATE, { i: { customerId, sensorId, reason: 'OTHER', startsAt: '2026-12-02T01:00:00.001Z', endsAt: '2026-12-02T05:00:00Z' } });
    await down(customerId, sensorId);
    await eventually(async () => expect(await incidentsOf(customerId)).toMatchObject([{ kind: 'AVAILABILITY' }]));
    expect([await suppressed(past.id), await suppressed(future.id)]).toEqual([0, 0]);
  });

  it('a cancelled window no longer suppresses', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    const { createMaintenanceWindow: w } = await kit.ok('engineer', CREATE, { i: { customerId, sensorId, reason: 'VERSION_UPGRADE', ...covering } });
    await down(customerId, sensorId);
    await eventually(async () => expect(await suppressed(w.id)).toBe(1));
    await up(customerId, sensorId);
    await kit.ok('engineer', CANCEL, { id: w.id });
    await down(customerId, sensorId);
    await eventually(async () => expect(await incidentsOf(customerId)).toMatchObject([{ kind: 'AVAILABILITY', status: 'NEW' }]));
    expect(await suppressed(w.id)).toBe(1);
  });
});

describe('a sensor still down when its window is over', () => {
  const suppressed = async (id: string) => (await kit.ok('engineer', ONE, { id })).maintenanceWindow.suppressedCount as number;
  const timelineOf = async (incidentId: string): Promise<string[]> => (await kit.ds.query(`SELECT text FROM incident.timeline_entry WHERE incident_id = $1 ORDER BY at`, [incidentId])).map((r: { text: string }) => r.text);

  it('gets its availability incident when the window ends, or is cancelled; a sensor up again does not', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    const recovered = randomUUID();
    await publish(SensorRegistered, customerId, { sensorId: recovered, product: 'FORTIGATE', name: 'fg-recovered' });
    await eventually(async () => expect(await kit.ds.query(`SELECT 1 FROM incident.sensor WHERE sensor_id = $1`, [recovered])).toHaveLength(1));
    const { createMaintenanceWindow: w } = await kit.ok('engineer', CREATE, { i: { customerId, reason: 'DEVICE_REPLACEMENT', startsAt: '2026-12-02T00:30:00Z', endsAt: '2026-12-02T01:30:00Z' } });
    for (const s of [sensorId, recovered]) await publish(SensorLivenessChanged, customerId, { sensorId: s, status: 'DOWN', lastSeenAt: '2026-12-02T00:40:00.000Z' });
    await eventually(async () => expect(await suppressed(w.id)).toBe(2));
    await publish(SensorLivenessChanged, customerId, { sensorId: recovered, status: 'UP', lastSeenAt: '2026-12-02T01:10:00.000Z' });
    await eventually(async () => expect(await kit.ds.query(`SELECT liveness FROM incident.sensor WHERE sensor_id = $1`, [recovered])).toEqual([{ liveness: 'UP' }]));
    const check = kit.app.get(MaintenanceEndedCheck);
    // still inside the window: nothing
    await check.tick();
    expect(await incidentsOf(customerId)).toEqual([]);
    try {
      clock.set('2026-12-02T01:30:00Z');
      await check.tick();
      const [i] = await eventually(async () => {
        const rows = await incidentsOf(customerId);
        expect(rows).toMatchObject([{ kind: 'AVAILABILITY', status: 'NEW' }]);
        return rows;
      });
      expect((await kit.ds.query(`SELECT sensor_id FROM incident.incident WHERE id = $1`, [i.id]))[0].sensor_id).toBe(sensorId);
      expect(await timelineOf(i.id)).toContainEqual(expect.stringContaining(`is still down after maintenance window ${w.id}`));
      // checked once: a later run opens nothing more (even once the incident is resolved by hand)
      await kit.ok('analyst', `mutation($id: ID!) { resolveIncident(id: $id, summary: "replaced") { id } }`, { id: i.id });
      await check.tick();
      expect(await incidentsOf(customerId)).toHaveLength(1);
    } finally {
      clock.set('2026-12-02T01:00:00Z');
    }

    const other = await customerWithSensor();
    const { createMaintenanceWindow: c } = await kit.ok('engineer', CREATE, { i: { customerId: other.customerId, sensorId: other.sensorId, reason: 'VERSION_UPGRADE', ...covering } });
    await publish(SensorLivenessChanged, other.customerId, { sensorId: other.sensorId, status: 'DOWN', lastSeenAt: null });
    await eventually(async () => expect(await suppressed(c.id)).toBe(1));
    await kit.ok('engineer', CANCEL, { id: c.id });
    await check.tick();
    await eventually(async () => expect(await incidentsOf(other.customerId)).toMatchObject([{ kind: 'AVAILABILITY' }]));
  });
});

describe('work orders', () => {
  it('records an upgrade from the version the sensor reports, with its window, and its outcome; both are published', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    await publish(SensorVersionChanged, customerId, { sensorId, product: 'FORTIGATE', version: 'v7.2.8', previousVersion: null, seenAt: '2026-12-01T00:00:00.000Z' });
    await eventually(async () => expect(await kit.ds.query(`SELECT product_version FROM incident.sensor WHERE sensor_id = $1`, [sensorId])).toEqual([{ product_version: 'v7.2.8' }]));
    const { recordWorkOrder: o } = await kit.ok('engineer', RECORD, {
      i: { customerId, sensorId, kind: 'VERSION_UPGRADE', plannedStart: '2026-12-03T13:00:00Z', plannedEnd: '2026-12-03T15:00:00Z', engineer: 'Sato', toVersion: 'v7.4.4', note: 'night work' },
    });
    expect(o).toMatchObject({ customerId, sensorId, kind: 'VERSION_UPGRADE', engineer: 'Sato', fromVersion: 'v7.2.8', toVersion: 'v7.4.4', outcome: null, oldSerial: null });
    expect(o.windowId).toBeTruthy();
    const { maintenanceWindow: w } = await kit.ok('customer_viewer', ONE, { id: o.windowId }, { customerId });
    expect(w).toMatchObject({ sensorId, reason: 'VERSION_UPGRADE', startsAt: '2026-12-03T13:00:00.000Z', endsAt: '2026-12-03T15:00:00.000Z', workOrderId: o.id, note: 'work order: version upgrade from v7.2.8 to v7.4.4 (Sato); night work' });

    const { recordWorkOrderOutcome: done } = await kit.ok('engineer', OUTCOME, { i: { id: o.id, outcome: 'DONE', notes: 'upgraded, rebooted once', completedAt: '2026-12-03T14:10:00Z', toVersion: 'v7.4.5' } });
    expect(done).toMatchObject({ outcome: 'DONE', outcomeNotes: 'upgraded, rebooted once', completedAt: '2026-12-03T14:10:00.000Z', toVersion: 'v7.4.5', fromVersion: 'v7.2.8' });
    const again = await kit.gql('engineer', OUTCOME, { i: { id: o.id, outcome: 'FAILED' } });
    expect(again.errors?.[0]).toMatchObject({ message: `work order ${o.id} already ended DONE at 2026-12-03T14:10:00.000Z`, extensions: { code: 'BAD_USER_INPUT', reason: 'OUTCOME_ALREADY_RECORDED', field: 'outcome' } });

    const events = await published(WorkOrderRecorded, customerId);
    expect(events.map((e) => e.body)).toEqual([
      expect.objectContaining({ workOrderId: o.id, sensorId, kind: 'VERSION_UPGRADE', plannedStart: '2026-12-03T13:00:00.000Z', plannedEnd: '2026-12-03T15:00:00.000Z', engineer: 'Sato', outcome: null, completedAt: null, fromVersion: 'v7.2.8', windowId: o.windowId }),
      expect.objectContaining({ workOrderId: o.id, outcome: 'DONE', completedAt: '2026-12-03T14:10:00.000Z', toVersion: 'v7.4.5', notes: 'upgraded, rebooted once' }),
    ]);
    expect((await published(MaintenanceWindowChanged, customerId)).map((e) => e.body)).toEqual([expect.objectContaining({ windowId: o.windowId, reason: 'VERSION_UPGRADE', cancelled: false, workOrderId: o.id })]);
    expect((await kit.ok('customer_admin', ORDERS, {}, { customerId })).workOrders.map((x: { id: string; outcome: string }) => [x.id, x.outcome])).toEqual([[o.id, 'DONE']]);
  });

  it('a cancelled replacement cancels its window; one without a window makes none; bad input and other tenants are refused', async () => {
    const { customerId, sensorId } = await customerWithSensor();
    const other = await customerWithSensor();
    const plan = { customerId, sensorId, kind: 'HARDWARE_REPLACEMENT', plannedStart: '2026-12-04T01:00:00Z', plannedEnd: '2026-12-04T03:00:00Z', engineer: 'Suzuki', oldSerial: 'FG100F0001', newSerial: 'FG100F0002' };
    const { recordWorkOrder: o } = await kit.ok('provider_admin', RECORD, { i: plan });
    expect(o).toMatchObject({ kind: 'HARDWARE_REPLACEMENT', oldSerial: 'FG100F0001', newSerial: 'FG100F0002', fromVersion: null });
    const { recordWorkOrderOutcome: c } = await kit.ok('engineer', OUTCOME, { i: { id: o.id, outcome: 'CANCELLED', notes: 'customer postponed' } });
    expect(c.outcome).toBe('CANCELLED');
    const { maintenanceWindow: w } = await kit.ok('engineer', ONE, { id: o.windowId });
    expect(w).toMatchObject({ reason: 'DEVICE_REPLACEMENT', cancelledAt: clock.now().toISOString() });

    const { recordWorkOrder: bare } = await kit.ok('engineer', RECORD, { i: { ...plan, createMaintenanceWindow: false } });
    expect(bare.windowId).toBeNull();
    expect((await kit.ok('engineer', LIST, { c: customerId, all: true })).maintenanceWindows).toHaveLength(1);

    const wrongSensor = await kit.gql('engineer', RECORD, { i: { ...plan, sensorId: other.sensorId } });
    expect(wrongSensor.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'SENSOR_NOT_OF_CUSTOMER', field: 'sensorId' } });
    const backwards = await kit.gql('engineer', RECORD, { i: { ...plan, plannedEnd: '2026-12-04T00:00:00Z' } });
    expect(backwards.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'BAD_PERIOD', field: 'plannedEnd' } });
    const noEngineer = await kit.gql('engineer', RECORD, { i: { ...plan, engineer: '' } });
    expect(noEngineer.errors?.[0].message).toMatch(/engineer/);
    const customer = await kit.gql('customer_admin', OUTCOME, { i: { id: bare.id, outcome: 'DONE' } }, { customerId });
    expect(customer.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const missing = await kit.gql('engineer', OUTCOME, { i: { id: randomUUID(), outcome: 'DONE' } });
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', reason: 'WORK_ORDER_NOT_FOUND' } });
    expect((await kit.ok('customer_viewer', ORDERS, {}, { customerId: other.customerId })).workOrders).toEqual([]);
    expect((await kit.ok('customer_viewer', ORDERS, { s: sensorId }, { customerId })).workOrders.map((x: { id: string }) => x.id).sort()).toEqual([o.id, bare.id].sort());
  });
});
