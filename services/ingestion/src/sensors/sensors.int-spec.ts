import { randomUUID } from 'node:crypto';
import { ContractTerminated } from '@kanshi/events';
import { gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, registerSensor, setContract, TestService } from '../int-spec-helpers';

jest.setTimeout(60_000);

let svc: TestService;
beforeAll(async () => {
  svc = await bootIngestion();
});
afterAll(async () => {
  await svc?.close();
});

const REGISTER = 'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id status } ingestToken } }';
const LINE = '<185>date=2026-11-20 time=11:02:33 devname="FGT-HQ-01" logid="0419016384" type="utm" subtype="ips" level="alert" srcip=10.20.30.41 dstip=198.51.100.23 action="dropped" attack="Test.Attack" incidentserialno=1';

const ingest = (sensorId: string, token: string) =>
  fetch(`${svc.url}/ingest/v1/sensors/${sensorId}/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: LINE }).then((r) => r.status);

describe('sensor registration', () => {
  it('registers a sensor only for a customer with a contract in force (onboarding or active)', async () => {
    const admin = await tokenFor('provider_admin');
    const none = await createCustomer(svc, { contract: false });
    const pending = await createCustomer(svc, { status: 'pending_onboarding' });
    const active = await createCustomer(svc);
    const r = await gqlRequest(svc.graphql, admin, REGISTER, { i: { customerId: none.customerId, product: 'FORTIGATE', name: 'FGT' } });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'customerId', reason: 'NO_ACTIVE_CONTRACT' } });
    // Onboarding registers the sensors before contracts activates the contract.
    const onboarding = await gqlOk<{ registerSensor: { sensor: { status: string } } }>(svc.graphql, admin, REGISTER, { i: { customerId: pending.customerId, product: 'FORTIGATE', name: 'FGT' } });
    expect(onboarding.registerSensor.sensor.status).toBe('UNKNOWN');
    const ok = await gqlOk<{ registerSensor: { sensor: { status: string }; ingestToken: string } }>(svc.graphql, admin, REGISTER, {
      i: { customerId: active.customerId, product: 'FORTIGATE', name: 'FGT' },
    });
    expect(ok.registerSensor.sensor.status).toBe('UNKNOWN');
    expect(ok.registerSensor.ingestToken).toMatch(/^kst_[A-Za-z0-9_-]{43}$/);
    // only the hash is kept
    const [row] = await svc.ds.query(`SELECT token_hash FROM ingestion.sensor WHERE customer_id = $1`, [active.customerId]);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stops registration once the contract is terminated', async () => {
    const admin = await tokenFor('provider_admin');
    const c = await createCustomer(svc);
    await setContract(svc, c, { status: 'terminated' }, ContractTerminated);
    const r = await gqlRequest(svc.graphql, admin, REGISTER, { i: { customerId: c.customerId, product: 'FORTIGATE', name: 'FGT' } });
    expect(r.errors?.[0].extensions?.reason).toBe('NO_ACTIVE_CONTRACT');
  });

  it('refuses a source address that another live sensor already has', async () => {
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const a = await createCustomer(svc);
    const b = await createCustomer(svc);
    await registerSensor(svc, a.customerId, { allowedSourceIps: [ip] });
    const r = await gqlRequest(svc.graphql, await tokenFor('provider_admin'), REGISTER, { i: { customerId: b.customerId, product: 'FORTIGATE', name: 'FGT', allowedSourceIps: [ip] } });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', field: 'allowedSourceIps' } });
  });

  it("lets a customer admin register its own customer's sensors and nobody else's", async () => {
    const mine = await createCustomer(svc);
    const theirs = await createCustomer(svc);
    const token = await tokenFor('customer_admin', { customerId: mine.customerId });
    await gqlOk(svc.graphql, token, REGISTER, { i: { customerId: mine.customerId, product: 'FORTIGATE', name: 'own' } });
    const r = await gqlRequest(svc.graphql, token, REGISTER, { i: { customerId: theirs.customerId, product: 'FORTIGATE', name: 'theirs' } });
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const viewer = await gqlRequest(svc.graphql, await tokenFor('customer_viewer', { customerId: mine.customerId }), REGISTER, { i: { customerId: mine.customerId, product: 'FORTIGATE', name: 'x' } });
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('ingest tokens and settings', () => {
  const ROTATE = 'mutation($id: ID!, $g: Int) { rotateIngestToken(sensorId: $id, gracePeriodSeconds: $g) { ingestToken sensor { id tokenRotatedAt } } }';

  it('rotates the token: the new one works at once, the old one stops (or after its grace period)', async () => {
    const admin = await tokenFor('engineer');
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    const { rotateIngestToken } = await gqlOk<{ rotateIngestToken: { ingestToken: string } }>(svc.graphql, admin, ROTATE, { id: s.sensorId });
    expect(await ingest(s.sensorId, rotateIngestToken.ingestToken)).toBe(200);
    expect(await ingest(s.sensorId, s.token)).toBe(401);

    const graced = await gqlOk<{ rotateIngestToken: { ingestToken: string } }>(svc.graphql, admin, ROTATE, { id: s.sensorId, g: 3600 });
    expect(await ingest(s.sensorId, graced.rotateIngestToken.ingestToken)).toBe(200);
    expect(await ingest(s.sensorId, rotateIngestToken.ingestToken)).toBe(200);
  });

  it('revokes a sensor: its token is refused, and it cannot be changed any more', async () => {
    const admin = await tokenFor('provider_admin');
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId);
    expect(await ingest(s.sensorId, s.token)).toBe(200);
    const { revokeSensor } = await gqlOk<{ revokeSensor: { revokedAt: string } }>(svc.graphql, admin, 'mutation($id: ID!) { revokeSensor(sensorId: $id) { revokedAt } }', { id: s.sensorId });
    expect(revokeSensor.revokedAt).toBeTruthy();
    expect(await ingest(s.sensorId, s.token)).toBe(401);
    const again = await gqlRequest(svc.graphql, admin, ROTATE, { id: s.sensorId });
    expect(again.errors?.[0].extensions?.reason).toBe('SENSOR_REVOKED');
  });

  it('changes settings given, and keeps the others', async () => {
    const admin = await tokenFor('provider_admin');
    const c = await createCustomer(svc);
    const s = await registerSensor(svc, c.customerId, { allowedSenders: ['nx01@example-customer.jp'] });
    const { updateSensorSettings } = await gqlOk<{ updateSensorSettings: Record<string, unknown> }>(
      svc.graphql,
      admin,
      `mutation($id: ID!, $i: UpdateSensorSettingsInput!) { updateSensorSettings(sensorId: $id, input: $i) {
        name allowedSourceIps allowedSenders heartbeatIntervalSeconds silenceThresholdSeconds timeZone } }`,
      { id: s.sensorId, i: { allowedSourceIps: ['192.0.2.77'], heartbeatIntervalSeconds: 60, silenceThresholdSeconds: 300, timeZone: 'UTC' } },
    );
    expect(updateSensorSettings).toEqual({
      name: 'FGT test',
      allowedSourceIps: ['192.0.2.77'],
      allowedSenders: ['nx01@example-customer.jp'],
      heartbeatIntervalSeconds: 60,
      silenceThresholdSeconds: 300,
      timeZone: 'UTC',
    });
    const bad = await gqlRequest(svc.graphql, admin, 'mutation($id: ID!, $i: UpdateSensorSettingsInput!) { updateSensorSettings(sensorId: $id, input: $i) { name } }', {
      id: s.sensorId,
      i: { timeZone: 'Mars/Olympus' },
    });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
    // cleanup: free the address for other runs
    await svc.ds.query(`UPDATE ingestion.sensor SET revoked_at = now() WHERE id = $1`, [s.sensorId]);
  });

  it('keeps the silence threshold at two heartbeat intervals or more, so a healthy sensor does not flap', async () => {
    const admin = await tokenFor('provider_admin');
    const c = await createCustomer(svc);
    const FIELDS = 'heartbeatIntervalSeconds silenceThresholdSeconds';
    // without a threshold of its own, an hourly heartbeat gets two hours (not the default 15 minutes)
    const { registerSensor: hourly } = await gqlOk<{ registerSensor: { sensor: Record<string, number> } }>(
      svc.graphql,
      admin,
      `mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id ${FIELDS} } } }`,
      { i: { customerId: c.customerId, product: 'FORTIGATE', name: 'hourly', heartbeatIntervalSeconds: 3600 } },
    );
    expect(hourly.sensor).toMatchObject({ heartbeatIntervalSeconds: 3600, silenceThresholdSeconds: 7200 });

    const tooShort = await gqlRequest(svc.graphql, admin, `mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } } }`, {
      i: { customerId: c.customerId, product: 'FORTIGATE', name: 'flapping', heartbeatIntervalSeconds: 600, silenceThresholdSeconds: 900 },
    });
    expect(tooShort.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'silenceThresholdSeconds' });
    expect(tooShort.errors?.[0].message).toContain('must be at least twice heartbeatIntervalSeconds (600), 1200 or more');

    // a longer interval alone would leave the stored threshold too short: refused, nothing changed
    const s = await registerSensor(svc, c.customerId);
    const update = `mutation($id: ID!, $i: UpdateSensorSettingsInput!) { updateSensorSettings(sensorId: $id, input: $i) { ${FIELDS} } }`;
    const refused = await gqlRequest(svc.graphql, admin, update, { id: s.sensorId, i: { heartbeatIntervalSeconds: 1800 } });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'silenceThresholdSeconds' });
    const [row] = await svc.ds.query(`SELECT heartbeat_interval_seconds, silence_threshold_seconds FROM ingestion.sensor WHERE id = $1`, [s.sensorId]);
    expect(row).toEqual({ heartbeat_interval_seconds: 300, silence_threshold_seconds: 900 });
    const both = await gqlOk<{ updateSensorSettings: Record<string, number> }>(svc.graphql, admin, update, { id: s.sensorId, i: { heartbeatIntervalSeconds: 1800, silenceThresholdSeconds: 3600 } });
    expect(both.updateSensorSettings).toEqual({ heartbeatIntervalSeconds: 1800, silenceThresholdSeconds: 3600 });
  });

  it("hides another tenant's sensor: changing it looks like changing a missing one", async () => {
    const a = await createCustomer(svc);
    const b = await createCustomer(svc);
    const s = await registerSensor(svc, b.customerId);
    const r = await gqlRequest(svc.graphql, await tokenFor('customer_admin', { customerId: a.customerId }), 'mutation($id: ID!) { revokeSensor(sensorId: $id) { id } }', { id: s.sensorId });
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await ingest(s.sensorId, s.token)).toBe(200);
  });
});

describe('sensors query', () => {
  it('shows a customer its own sensors, a partner its customers’, with status and last-seen', async () => {
    const partnerId = randomUUID();
    const a = await createCustomer(svc, { partnerId });
    const b = await createCustomer(svc);
    const sa = await registerSensor(svc, a.customerId, { name: 'A sensor' });
    const sb = await registerSensor(svc, b.customerId, { name: 'B sensor' });
    await fetch(`${svc.url}/ingest/v1/sensors/${sa.sensorId}/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${sa.token}` } });
    const q = '{ sensors { id name status lastSeenAt } }';
    const forA = await gqlOk<{ sensors: { id: string; status: string; lastSeenAt: string | null }[] }>(svc.graphql, await tokenFor('customer_viewer', { customerId: a.customerId }), q);
    expect(forA.sensors).toEqual([{ id: sa.sensorId, name: 'A sensor', status: 'UP', lastSeenAt: expect.any(String) }]);
    const forPartner = await gqlOk<{ sensors: { id: string }[] }>(svc.graphql, await tokenFor('partner_admin', { partnerId }), q);
    expect(forPartner.sensors.map((s) => s.id)).toEqual([sa.sensorId]);
    const forB = await gqlOk<{ sensors: { id: string; status: string }[] }>(svc.graphql, await tokenFor('customer_admin', { customerId: b.customerId }), q);
    expect(forB.sensors).toEqual([{ id: sb.sensorId, name: 'B sensor', status: 'UNKNOWN', lastSeenAt: null }]);
  });
});
