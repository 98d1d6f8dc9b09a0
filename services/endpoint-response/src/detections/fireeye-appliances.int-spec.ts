// FireEye NX / CM appliances pulled through their Web Services API, on the real database against
// the local FireEye WS server: configuring one through the subgraph (password encrypted, never
// answered, who may), the pull handing each alert to the outbox once across repeated pulls and a
// restart, an expired token (log in again), 5xx and a hung request (retried), and a refused
// password (the appliance UNHEALTHY with the appliance's message, no longer pulled).
import { randomUUID } from 'node:crypto';
import { FakeEdrTenant, FakeFireEyeWsServer, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { DetectionPullService, sourceKey } from './detection-pull.service';
import { DetectionsRepository } from './detections.repository';
import { FireEyeWsClient } from './fireeye-ws.client';

jest.setTimeout(60_000);

const fe = new FakeFireEyeWsServer();
let kit: SubgraphKit;
const boot = () => startSubgraph({ service: 'endpoint-response', schema: 'endpoint_response', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });

beforeAll(async () => {
  await fe.start();
  kit = await boot();
});
afterAll(async () => {
  await kit?.close();
  await fe.stop();
});

const FIELDS = 'id customerId product baseUrl username sensorId health lastError checkedAt updatedAt';
const CONFIGURE = `mutation($i: ConfigureFireEyeApplianceInput!) { configureFireEyeAppliance(input: $i) { ${FIELDS} } }`;
const LIST = `query($c: ID!) { fireEyeAppliances(customerId: $c) { ${FIELDS} } }`;
const TEST = `mutation($id: ID!) { testFireEyeAppliance(id: $id) { ok health message } }`;
const PULLED = 'response.detection.pulled.v1';

async function appliance(tenant: FakeEdrTenant, over: Record<string, unknown> = {}) {
  const { customerId } = await kit.createCustomer();
  const sensorId = randomUUID();
  const input = { customerId, product: 'FIREEYE_NX', baseUrl: fe.url, username: tenant.clientId, password: tenant.secret, sensorId, ...over };
  const { configureFireEyeAppliance } = await kit.ok('engineer', CONFIGURE, { i: input });
  return { customerId, sensorId, id: configureFireEyeAppliance.id as string, row: configureFireEyeAppliance };
}

const pull = (applianceId: string) => kit.app.get(DetectionPullService).pull({ kind: 'fireeye-ws', applianceId });

describe('configureFireEyeAppliance', () => {
  it('stores the appliance with the password encrypted and never answers it; analysts read it, engineers test it', async () => {
    const tenant = fe.addTenant();
    const { customerId, sensorId, id, row } = await appliance(tenant, { baseUrl: `${fe.url}/` });
    expect(row).toMatchObject({ customerId, product: 'FIREEYE_NX', baseUrl: fe.url, username: tenant.clientId, sensorId, health: 'UNKNOWN', lastError: null });
    const [stored] = await kit.ds.query(`SELECT password_ciphertext FROM endpoint_response.fireeye_appliance WHERE id = $1`, [id]);
    expect(stored.password_ciphertext).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(stored.password_ciphertext).not.toContain(tenant.secret);
    const type = await kit.ok('analyst', `{ __type(name: "FireEyeAppliance") { fields { name } } }`);
    expect(type.__type.fields.map((f: { name: string }) => f.name).filter((n: string) => /secret|password|cipher/i.test(n))).toEqual([]);
    const { fireEyeAppliances } = await kit.ok('analyst', LIST, { c: customerId });
    expect(fireEyeAppliances.map((a: { id: string }) => a.id)).toEqual([id]);
    expect((await kit.ok('engineer', TEST, { id })).testFireEyeAppliance).toEqual({ ok: true, health: 'HEALTHY', message: null });
    // an update without the password keeps the stored one
    const noPassword = { customerId, product: 'FIREEYE_CM', baseUrl: fe.url, username: tenant.clientId, sensorId };
    const again = (await kit.ok('provider_admin', CONFIGURE, { i: noPassword })).configureFireEyeAppliance;
    expect(again).toMatchObject({ id, product: 'FIREEYE_CM', health: 'UNKNOWN' });
    expect((await kit.ok('engineer', TEST, { id })).testFireEyeAppliance.ok).toBe(true);
  });

  it('refuses a new appliance without its password, naming the field, and writes nothing', async () => {
    const { customerId } = await kit.createCustomer();
    const r = await kit.gql('engineer', CONFIGURE, { i: { customerId, product: 'FIREEYE_NX', baseUrl: fe.url, username: 'api', sensorId: randomUUID() } });
    expect(r.errors?.[0]).toMatchObject({ message: `a new FireEye appliance (${fe.url}) needs its password`, extensions: { code: 'BAD_USER_INPUT', reason: 'PASSWORD_REQUIRED', field: 'password' } });
    expect((await kit.ok('analyst', LIST, { c: customerId })).fireEyeAppliances).toEqual([]);
  });

  it('answers an unknown customer and an unknown appliance with NOT_FOUND', async () => {
    const customerId = randomUUID();
    const r = await kit.gql('engineer', CONFIGURE, { i: { customerId, product: 'FIREEYE_NX', baseUrl: fe.url, username: 'api', password: 'x', sensorId: randomUUID() } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'CUSTOMER_NOT_FOUND' });
    const t = await kit.gql('engineer', TEST, { id: randomUUID() });
    expect(t.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'APPLIANCE_NOT_FOUND', field: 'id' });
  });

  it.each([['sales'], ['partner_admin'], ['customer_admin'], ['customer_viewer']] as const)('refuses %s, even for its own customer, and writes nothing', async (role) => {
    const tenant = fe.addTenant();
    const { customerId, partnerId } = await kit.createCustomer({ partnerId: randomUUID() });
    const ids = { partnerId: partnerId!, customerId };
    const configure = await kit.gql(role, CONFIGURE, { i: { customerId, product: 'FIREEYE_NX', baseUrl: fe.url, username: tenant.clientId, password: tenant.secret, sensorId: randomUUID() } }, ids);
    expect(configure.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await kit.gql(role, LIST, { c: customerId }, ids)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await kit.app.get(DetectionsRepository).appliances(customerId)).toEqual([]);
  });
});

describe('pulling an appliance', () => {
  it('hands each alert to ingestion once, as the sensor’s alert, across repeated pulls and a restart', async () => {
    const tenant = fe.addTenant();
    const { customerId, sensorId, id } = await appliance(tenant);
    const a1 = fe.addAlert(tenant.id, { occurred: new Date(Date.now() - 120_000) });
    const a2 = fe.addAlert(tenant.id, { occurred: new Date(Date.now() - 60_000), severity: 'crit' });
    expect(await pull(id)).toBe(2);
    expect(await pull(id)).toBe(0);
    const cursor = await kit.app.get(DetectionsRepository).cursor(sourceKey({ kind: 'fireeye-ws', applianceId: id }));
    expect(JSON.parse(cursor!).seen.sort()).toEqual([a1.id, a2.id].sort());

    await kit.close();
    kit = await boot();
    expect(await pull(id)).toBe(0);
    const a3 = fe.addAlert(tenant.id, { occurred: new Date(Date.now() - 1000) });
    expect(await pull(id)).toBe(1);

    const events = await kit.outbox(PULLED, customerId);
    expect(events.map((e) => e.body.externalId).sort()).toEqual([a1.id, a2.id, a3.id].sort());
    expect(events.every((e) => e.body.sensorId === sensorId && e.body.product === 'FIREEYE_NX')).toBe(true);
    // the extended notification, as an alert mail carries it
    expect(events[0].body.record).toMatchObject({ msg: 'extended', appliance: `nx.${tenant.id}.example`, alert: { id: events[0].body.externalId } });
    // every pull logged out again
    expect(fe.findRequests('POST', '/wsapis/v2.0.0/auth/logout').length).toBeGreaterThanOrEqual(4);
    expect((await kit.ok('analyst', LIST, { c: customerId })).fireEyeAppliances[0].health).toBe('HEALTHY');
  });

  it('rides out 5xx answers from the appliance', async () => {
    const tenant = fe.addTenant();
    const { customerId, id } = await appliance(tenant);
    fe.addAlert(tenant.id, { occurred: new Date(Date.now() - 30_000) });
    fe.failNextWithServerError(2, 503, { path: '/wsapis/v2.0.0/alerts' });
    expect(await pull(id)).toBe(1);
    expect(await kit.outbox(PULLED, customerId)).toHaveLength(1);
  });

  it('marks the appliance UNHEALTHY with the appliance’s message when it refuses the password, and stops pulling it', async () => {
    const tenant = fe.addTenant();
    const { customerId, id } = await appliance(tenant, { password: 'not-the-password' });
    fe.addAlert(tenant.id, { occurred: new Date(Date.now() - 30_000) });
    expect(await pull(id)).toBe(0);
    const [a] = (await kit.ok('analyst', LIST, { c: customerId })).fireEyeAppliances;
    expect(a).toMatchObject({ health: 'UNHEALTHY', lastError: `FireEye ${fe.url} refused the credentials: Authentication failed: invalid user name or password` });
    expect((await kit.app.get(DetectionPullService).sources()).some((s) => s.kind === 'fireeye-ws' && s.applianceId === id)).toBe(false);
    expect(await kit.outbox(PULLED, customerId)).toEqual([]);
    // provider staff are alerted once (incident mails them), not again while it stays unhealthy
    expect(await pull(id)).toBe(0);
    const alerts = await kit.outbox('response.connector.unhealthy.v1', customerId);
    expect(alerts.map((e) => e.body)).toEqual([
      { kind: 'FIREEYE_APPLIANCE', connectorId: id, product: 'FIREEYE_NX', baseUrl: fe.url, message: `FireEye ${fe.url} refused the credentials: Authentication failed: invalid user name or password`, at: expect.any(String) },
    ]);
    const t = (await kit.ok('engineer', TEST, { id })).testFireEyeAppliance;
    expect(t).toEqual({ ok: false, health: 'UNHEALTHY', message: `AUTH: FireEye ${fe.url} refused the credentials: Authentication failed: invalid user name or password` });
    // provider staff fix the password: healthy and pulled again
    await kit.ok('engineer', CONFIGURE, { i: { customerId, product: 'FIREEYE_NX', baseUrl: fe.url, username: tenant.clientId, password: tenant.secret, sensorId: a.sensorId } });
    expect(await pull(id)).toBe(1);
  });
});

describe('the Web Services client', () => {
  const client = (tenant: FakeEdrTenant, over: Partial<ConstructorParameters<typeof FireEyeWsClient>[0]> = {}) =>
    new FireEyeWsClient({ baseUrl: fe.url, username: tenant.clientId, password: tenant.secret, timeoutMs: 2000, retryBaseMs: 20, retryMaxMs: 50, ...over });

  it('logs in again once when the appliance no longer takes its token', async () => {
    const tenant = fe.addTenant();
    fe.addAlert(tenant.id, { occurred: new Date(Date.now() - 30_000) });
    const c = client(tenant);
    await c.login();
    fe.expireTokens();
    const before = fe.findRequests('POST', '/wsapis/v2.0.0/auth/login').length;
    const { alerts } = await c.alerts(new Date(Date.now() - 3600_000), 2);
    expect(alerts).toHaveLength(1);
    expect(fe.findRequests('POST', '/wsapis/v2.0.0/auth/login').length).toBe(before + 1);
    await c.logout();
  });

  it('gives up with AUTH when the fresh token is refused too', async () => {
    const tenant = fe.addTenant();
    const c = client(tenant);
    fe.failNext(2, { kind: 'error', status: 401, json: { fireeyeapis: { '@version': 'v2.0.0', description: 'Invalid or expired token', httpStatus: 401, message: 'Unauthorized' } } }, { path: '/wsapis/v2.0.0/alerts' });
    await expect(c.alerts(new Date(Date.now() - 3600_000), 1)).rejects.toMatchObject({ kind: 'AUTH', message: `FireEye ${fe.url} refused the credentials: Invalid or expired token` });
  });

  it('retries a request that never gets an answer, then one that keeps failing is UNAVAILABLE', async () => {
    const tenant = fe.addTenant();
    fe.addAlert(tenant.id, { occurred: new Date(Date.now() - 30_000) });
    fe.hangNext(1, { path: '/wsapis/v2.0.0/alerts' });
    expect((await client(tenant, { timeoutMs: 300 }).alerts(new Date(Date.now() - 3600_000), 1)).alerts).toHaveLength(1);
    fe.failNextWithServerError(3, 500, { path: '/wsapis/v2.0.0/alerts' });
    await expect(client(tenant, { maxRetries: 2 }).alerts(new Date(Date.now() - 3600_000), 1)).rejects.toMatchObject({ kind: 'UNAVAILABLE', status: 500 });
  });
});
