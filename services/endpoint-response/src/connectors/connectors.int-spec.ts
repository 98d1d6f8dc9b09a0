// EDR connectors through the subgraph on the real database, against local consoles: who may
// configure, read and test them, validation, the secret never leaving the service, health after a
// test, the factory the other modules use, and re-encryption under a new key.
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeCarbonBlackServer, FakeCrowdStrikeServer, FakeEdrTenant, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { ConnectorsRepository } from './connectors.repository';
import { CredentialsCipher } from './credentials-cipher';
import { CredentialsRotationService } from './credentials-rotation.service';
import { EdrConnectorFactory, secretContext } from './edr-connector.factory';
import { VendorExchange } from './edr-connector';

jest.setTimeout(60_000);

let kit: SubgraphKit;
const cs = new FakeCrowdStrikeServer();
const cb = new FakeCarbonBlackServer();
let falcon: FakeEdrTenant;
beforeAll(async () => {
  await Promise.all([cs.start(), cb.start()]);
  falcon = cs.addTenant({ hosts: [{ hostName: 'PC-ACCT-011' }] });
  kit = await startSubgraph({ service: 'endpoint-response', schema: 'endpoint_response', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(async () => {
  await kit?.close();
  await Promise.all([cs.stop(), cb.stop()]);
});

const FIELDS = 'id customerId product baseUrl clientId orgKey sensorId health lastError checkedAt updatedAt';
const CONFIGURE = `mutation($i: ConfigureEdrConnectorInput!) { configureEdrConnector(input: $i) { ${FIELDS} } }`;
const LIST = `query($c: ID!) { edrConnectors(customerId: $c) { ${FIELDS} } }`;
const TEST = `mutation($c: ID!, $p: EdrProduct!) { testEdrConnector(customerId: $c, product: $p) { ok health message durationMs checkedAt } }`;

const falconInput = (customerId: string, over: Record<string, unknown> = {}) => ({ customerId, product: 'CROWDSTRIKE_FALCON', baseUrl: cs.url, clientId: falcon.clientId, secret: falcon.secret, ...over });
const stored = async (customerId: string) => (await kit.ds.query(`SELECT * FROM endpoint_response.edr_connector WHERE customer_id = $1`, [customerId])) as Record<string, unknown>[];

describe('configureEdrConnector', () => {
  it('stores the connector with the secret encrypted, and never answers the secret', async () => {
    const { customerId } = await kit.createCustomer();
    const sensorId = randomUUID();
    const { configureEdrConnector } = await kit.ok('engineer', CONFIGURE, { i: falconInput(customerId, { sensorId }) });
    expect(configureEdrConnector).toMatchObject({ customerId, product: 'CROWDSTRIKE_FALCON', baseUrl: cs.url, clientId: falcon.clientId, orgKey: null, sensorId, health: 'UNKNOWN', lastError: null });
    const [row] = await stored(customerId);
    expect(String(row.secret_ciphertext)).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(JSON.stringify(row)).not.toContain(falcon.secret);
    const type = await kit.ok('analyst', `{ __type(name: "EdrConnector") { fields { name } } }`);
    expect(type.__type.fields.map((f: { name: string }) => f.name).filter((n: string) => /secret|password|cipher/i.test(n))).toEqual([]);
    const { edrConnectors } = await kit.ok('analyst', LIST, { c: customerId });
    expect(JSON.stringify(edrConnectors)).not.toContain(falcon.secret);
    expect(edrConnectors).toHaveLength(1);
  });

  it('updates in place, keeping the stored secret when none is given', async () => {
    const { customerId } = await kit.createCustomer();
    const first = (await kit.ok('engineer', CONFIGURE, { i: falconInput(customerId) })).configureEdrConnector;
    const { secret: _, ...noSecret } = falconInput(customerId, { baseUrl: `${cs.url}/` });
    const second = (await kit.ok('provider_admin', CONFIGURE, { i: noSecret })).configureEdrConnector;
    expect(second.id).toBe(first.id);
    expect((await kit.ok('engineer', TEST, { c: customerId, p: 'CROWDSTRIKE_FALCON' })).testEdrConnector).toMatchObject({ ok: true, health: 'HEALTHY', message: null });
  });

  it.each([
    ['a new connector without a secret', (c: string) => ({ ...falconInput(c), secret: undefined }), 'SECRET_REQUIRED', 'secret'],
    ['Carbon Black without its org key', (c: string) => ({ ...falconInput(c), product: 'CARBON_BLACK' }), 'ORG_KEY_REQUIRED', 'orgKey'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_, input, reason, field) => {
    const { customerId } = await kit.createCustomer();
    const r = await kit.gql('engineer', CONFIGURE, { i: input(customerId) });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason, field });
    expect(await stored(customerId)).toEqual([]);
  });

  it.each([
    ['a base URL that is not http(s)', { baseUrl: 'ftp://edr.example' }, 'baseUrl'],
    ['an EDR it has no adapter for', { product: 'SENTINELONE' }, 'product'],
  ])('refuses %s as BAD_USER_INPUT', async (_, over, field) => {
    const { customerId } = await kit.createCustomer();
    const r = await kit.gql('engineer', CONFIGURE, { i: falconInput(customerId, over) });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain(field);
  });

  it('answers a customer it does not know with NOT_FOUND on customerId', async () => {
    const customerId = randomUUID();
    const r = await kit.gql('engineer', CONFIGURE, { i: falconInput(customerId) });
    expect(r.errors?.[0]).toMatchObject({ message: `customer ${customerId} not found`, extensions: { code: 'NOT_FOUND', reason: 'CUSTOMER_NOT_FOUND', field: 'customerId' } });
  });
});

describe('who may see and change connectors', () => {
  it.each([['analyst'], ['sales'], ['partner_admin'], ['customer_admin'], ['customer_viewer']] as const)('refuses configuring and testing to %s, and writes nothing', async (role) => {
    const { customerId, partnerId } = await kit.createCustomer({ partnerId: randomUUID() });
    const ids = { partnerId: partnerId!, customerId };
    const r = await kit.gql(role, CONFIGURE, { i: falconInput(customerId) }, ids);
    expect(r.errors?.[0]).toMatchObject({ message: `role ${role} may not configure EDR connectors`, extensions: { code: 'FORBIDDEN' } });
    const t = await kit.gql(role, TEST, { c: customerId, p: 'CROWDSTRIKE_FALCON' }, ids);
    expect(t.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await stored(customerId)).toEqual([]);
  });

  it.each([['sales'], ['partner_admin'], ['customer_admin'], ['customer_viewer']] as const)('refuses reading connectors to %s, even its own customer’s', async (role) => {
    const { customerId, partnerId } = await kit.createCustomer({ partnerId: randomUUID() });
    await kit.ok('engineer', CONFIGURE, { i: falconInput(customerId) });
    const r = await kit.gql(role, LIST, { c: customerId }, { partnerId: partnerId!, customerId });
    expect(r.errors?.[0]).toMatchObject({ message: `role ${role} may not read EDR connectors`, extensions: { code: 'FORBIDDEN' } });
  });

  it('lists only the named customer’s connectors; an unknown id lists none, a malformed one is BAD_USER_INPUT', async () => {
    const a = await kit.createCustomer();
    const b = await kit.createCustomer();
    await kit.ok('engineer', CONFIGURE, { i: falconInput(a.customerId) });
    await kit.ok('engineer', CONFIGURE, { i: falconInput(b.customerId) });
    expect((await kit.ok('analyst', LIST, { c: a.customerId })).edrConnectors.map((c: { customerId: string }) => c.customerId)).toEqual([a.customerId]);
    expect((await kit.ok('analyst', LIST, { c: randomUUID() })).edrConnectors).toEqual([]);
    expect((await kit.gql('analyst', LIST, { c: 'not-a-uuid' })).errors?.[0]).toMatchObject({ message: 'customerId "not-a-uuid" is not an id (a UUID)', extensions: { code: 'BAD_USER_INPUT', field: 'customerId' } });
  });
});

describe('testEdrConnector', () => {
  it('marks wrong credentials UNHEALTHY with the vendor’s message, and healthy again once fixed', async () => {
    const { customerId } = await kit.createCustomer();
    await kit.ok('engineer', CONFIGURE, { i: falconInput(customerId, { secret: 'wrong-secret-value' }) });
    const { testEdrConnector } = await kit.ok('engineer', TEST, { c: customerId, p: 'CROWDSTRIKE_FALCON' });
    expect(testEdrConnector).toMatchObject({ ok: false, health: 'UNHEALTHY', message: 'AUTH: CrowdStrike refused the credentials: Failed to issue access token - Not Authorized' });
    const [listed] = (await kit.ok('analyst', LIST, { c: customerId })).edrConnectors;
    expect(listed).toMatchObject({ health: 'UNHEALTHY', lastError: 'CrowdStrike refused the credentials: Failed to issue access token - Not Authorized' });
    expect(listed.checkedAt).not.toBeNull();
    // provider staff are alerted once (incident mails them), not again while it stays unhealthy
    await kit.ok('engineer', TEST, { c: customerId, p: 'CROWDSTRIKE_FALCON' });
    const alerts = await kit.outbox('response.connector.unhealthy.v1', customerId);
    expect(alerts.map((a) => a.body)).toEqual([
      { kind: 'EDR_CONNECTOR', connectorId: listed.id, product: 'CROWDSTRIKE_FALCON', baseUrl: cs.url, message: 'CrowdStrike refused the credentials: Failed to issue access token - Not Authorized', at: expect.any(String) },
    ]);
    await kit.ok('engineer', CONFIGURE, { i: falconInput(customerId) });
    expect((await kit.ok('analyst', LIST, { c: customerId })).edrConnectors[0].health).toBe('UNKNOWN');
    expect((await kit.ok('engineer', TEST, { c: customerId, p: 'CROWDSTRIKE_FALCON' })).testEdrConnector).toMatchObject({ ok: true, health: 'HEALTHY' });
  });

  it('answers a product the customer has no connector for with NOT_FOUND on product', async () => {
    const { customerId } = await kit.createCustomer();
    const r = await kit.gql('engineer', TEST, { c: customerId, p: 'CYBEREASON' });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'CONNECTOR_NOT_FOUND', field: 'product' });
  });
});

describe('EdrConnectorFactory', () => {
  it('builds the customer’s adapter from the decrypted credentials; contains a host with it', async () => {
    const { customerId } = await kit.createCustomer();
    const cbTenant = cb.addTenant({ hosts: [{ hostName: 'PC-HR-031' }] });
    await kit.ok('engineer', CONFIGURE, { i: { customerId, product: 'CARBON_BLACK', baseUrl: cb.url, clientId: cbTenant.clientId, secret: cbTenant.secret, orgKey: cbTenant.orgKey } });
    const factory = kit.app.get(EdrConnectorFactory);
    const exchanges: VendorExchange[] = [];
    const connector = await factory.forCustomer(customerId, 'CARBON_BLACK', { onExchange: (e) => exchanges.push(e) });
    const host = await connector.findHost({ hostName: 'PC-HR-031' });
    expect(await connector.contain(host!.agentId, { isolationId: randomUUID(), incidentId: randomUUID() })).toMatchObject({ accepted: true });
    expect(cb.actionCount(host!.agentId, 'contain')).toBe(1);
    expect(JSON.stringify(exchanges)).not.toContain(cbTenant.secret);
    await expect(factory.forCustomer(customerId, 'FIREEYE_HX')).rejects.toMatchObject({ kind: 'NOT_CONFIGURED', message: `no FIREEYE_HX connector is configured for customer ${customerId}` });
    expect(await factory.configured('CARBON_BLACK')).toContainEqual({ customerId, product: 'CARBON_BLACK', sensorId: null, health: 'UNKNOWN' });
    await factory.markUnhealthy(customerId, 'CARBON_BLACK', 'Carbon Black refused the credentials: revoked');
    expect((await kit.ok('analyst', LIST, { c: customerId })).edrConnectors[0]).toMatchObject({ health: 'UNHEALTHY', lastError: 'Carbon Black refused the credentials: revoked' });
  });
});

describe('credentials rotation', () => {
  it('re-encrypts a secret stored under a previous key with the current one, which then reads it', async () => {
    const { customerId } = await kit.createCustomer();
    await kit.ok('engineer', CONFIGURE, { i: falconInput(customerId) });
    const oldKey = randomBytes(32);
    const old = new CredentialsCipher(oldKey);
    await kit.ds.query(`UPDATE endpoint_response.edr_connector SET secret_ciphertext = $2 WHERE customer_id = $1`, [customerId, old.encrypt(falcon.secret, secretContext(customerId, 'CROWDSTRIKE_FALCON'))]);
    // The service's current key (the development key in tests) with the old one as previous.
    const cipher = CredentialsCipher.fromEnvironment({ NODE_ENV: 'test', EDR_CREDENTIALS_PREVIOUS_KEYS: oldKey.toString('base64') });
    const rotation = new CredentialsRotationService(kit.ds, kit.app.get(ConnectorsRepository), cipher);
    expect(await rotation.rotate()).toBeGreaterThanOrEqual(1);
    const [row] = await stored(customerId);
    expect(cipher.keyIdOf(String(row.secret_ciphertext))).toBe(cipher.currentKeyId);
    expect(await rotation.rotate()).toBe(0);
    expect((await kit.ok('engineer', TEST, { c: customerId, p: 'CROWDSTRIKE_FALCON' })).testEdrConnector).toMatchObject({ ok: true });
  });
});
