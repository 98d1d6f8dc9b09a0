// Binding a source address or mail sender to a sensor is provider staff's decision: the other
// sensor managers may only ask; reserved and SOC addresses are refused to everybody; nothing a
// tenant is told reveals that another tenant has an address.
import { randomUUID } from 'node:crypto';
import { gqlOk, gqlRequest, tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, registerSensor, TestCustomer, TestService } from '../int-spec-helpers';

jest.setTimeout(60_000);

let svc: TestService;
beforeAll(async () => {
  // production-like: loopback is this machine, 192.0.2.25 the SOC's relay, 198.51.100.0/28 its network
  svc = await bootIngestion({ INTAKE_ALLOW_LOOPBACK_SOURCES: 'false', SMTP_SENDER_RELAYS: '192.0.2.25', SOC_INTERNAL_ADDRESSES: '198.51.100.0/28', INTAKE_MAIL_DOMAIN: 'intake.soc.example' });
});
afterAll(async () => {
  await svc?.close();
});

const UPDATE = 'mutation($id: ID!, $i: UpdateSensorSettingsInput!) { updateSensorSettings(sensorId: $id, input: $i) { allowedSourceIps allowedSenders } }';
const REGISTER = 'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } } }';
const REQUEST = 'mutation($i: RequestAddressBindingInput!) { requestAddressBinding(input: $i) { id status kind address sensorId } }';
const DECIDE = 'mutation($i: DecideAddressBindingInput!) { decideAddressBinding(input: $i) { id status note } }';
const LIST = 'query($s: AddressBindingStatus) { addressBindingRequests(status: $s) { id customerId address status } }';

let partnerId: string;
let a: TestCustomer;
let b: TestCustomer;
let other: TestCustomer;
let sensorA: string;
const ADDRESS_OF_B = '203.0.113.50';

beforeAll(async () => {
  partnerId = randomUUID();
  a = await createCustomer(svc, { partnerId });
  b = await createCustomer(svc);
  other = await createCustomer(svc);
  sensorA = (await registerSensor(svc, a.customerId)).sensorId;
  await registerSensor(svc, b.customerId, { allowedSourceIps: [ADDRESS_OF_B], allowedSenders: ['fw@customer-b.example'] });
});

const tokens = () => ({
  customer_admin: tokenFor('customer_admin', { customerId: a.customerId }),
  partner_admin: tokenFor('partner_admin', { partnerId }),
  engineer: tokenFor('engineer'),
});

describe('binding addresses to sensors', () => {
  it.each(['customer_admin', 'partner_admin', 'engineer'] as const)('refuses %s a direct binding (settings or registration) with BINDING_NEEDS_APPROVAL, naming neither the owner nor the address', async (role) => {
    const token = await tokens()[role];
    for (const i of [{ allowedSourceIps: [ADDRESS_OF_B] }, { allowedSourceIps: ['203.0.113.99'] }, { allowedSenders: ['fw@customer-b.example'] }]) {
      const r = await gqlRequest(svc.graphql, token, UPDATE, { id: sensorA, i });
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'BINDING_NEEDS_APPROVAL' } });
      expect(JSON.stringify(r.errors)).not.toMatch(/203\.0\.113\.50|customer-b|another/);
    }
    const reg = await gqlRequest(svc.graphql, token, REGISTER, { i: { customerId: a.customerId, product: 'FORTIGATE', name: 'claim', allowedSourceIps: [ADDRESS_OF_B] } });
    expect(reg.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'BINDING_NEEDS_APPROVAL' } });
    const [row] = await svc.ds.query(`SELECT allowed_source_ips FROM ingestion.sensor WHERE id = $1`, [sensorA]);
    expect(row.allowed_source_ips).toEqual([]);
  });

  it.each(['customer_admin', 'partner_admin', 'engineer'] as const)('lets %s request a binding, even of an address another tenant has, without being told so', async (role) => {
    const token = await tokens()[role];
    const r = await gqlOk<{ requestAddressBinding: { status: string; address: string } }>(svc.graphql, token, REQUEST, { i: { sensorId: sensorA, kind: 'SOURCE_IP', address: ADDRESS_OF_B } });
    expect(r.requestAddressBinding).toMatchObject({ status: 'PENDING', address: ADDRESS_OF_B });
  });

  it('refuses reserved and SOC addresses to everybody, provider_admin included, as BAD_USER_INPUT naming the field', async () => {
    const admin = await tokenFor('provider_admin');
    const customer = await tokens().customer_admin;
    for (const ip of ['127.0.0.1', '::1', '0.0.0.0', '169.254.10.1', 'fe80::1', '224.0.0.5', '255.255.255.255', '192.0.2.25', '198.51.100.7', '::ffff:127.0.0.1']) {
      const direct = await gqlRequest(svc.graphql, admin, UPDATE, { id: sensorA, i: { allowedSourceIps: [ip] } });
      expect(direct.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'ADDRESS_RESERVED', field: 'allowedSourceIps' } });
      const asked = await gqlRequest(svc.graphql, customer, REQUEST, { i: { sensorId: sensorA, kind: 'SOURCE_IP', address: ip } });
      expect(asked.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'ADDRESS_RESERVED', field: 'address' } });
    }
    const intakeSender = await gqlRequest(svc.graphql, admin, UPDATE, { id: sensorA, i: { allowedSenders: ['alerts@intake.soc.example'] } });
    expect(intakeSender.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'ADDRESS_RESERVED', field: 'allowedSenders' } });
    const notAnIp = await gqlRequest(svc.graphql, customer, REQUEST, { i: { sensorId: sensorA, kind: 'SOURCE_IP', address: 'fw01' } });
    expect(notAnIp.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'address' } });
  });

  it("does not let a tenant request a binding for another tenant's sensor (it looks missing)", async () => {
    const r = await gqlRequest(svc.graphql, await tokenFor('customer_admin', { customerId: other.customerId }), REQUEST, { i: { sensorId: sensorA, kind: 'SOURCE_IP', address: '203.0.113.77' } });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', field: 'sensorId' } });
  });

  it('lets provider_admin approve a request (the address is bound) or refuse one; nobody else may decide', async () => {
    const customer = await tokens().customer_admin;
    const ask = (address: string) => gqlOk<{ requestAddressBinding: { id: string } }>(svc.graphql, customer, REQUEST, { i: { sensorId: sensorA, kind: 'SOURCE_IP', address } }).then((r) => r.requestAddressBinding.id);
    const good = await ask('203.0.113.60');
    for (const role of ['engineer', 'analyst', 'sales', 'customer_admin', 'partner_admin'] as const) {
      const token = role === 'customer_admin' ? customer : role === 'partner_admin' ? await tokenFor(role, { partnerId }) : await tokenFor(role);
      const r = await gqlRequest(svc.graphql, token, DECIDE, { i: { requestId: good, approve: true } });
      expect([role, r.errors?.[0]]).toMatchObject([role, { extensions: { code: 'FORBIDDEN' } }]);
    }
    const admin = await tokenFor('provider_admin');
    expect((await gqlOk<{ decideAddressBinding: { status: string } }>(svc.graphql, admin, DECIDE, { i: { requestId: good, approve: true } })).decideAddressBinding.status).toBe('APPROVED');
    const [row] = await svc.ds.query(`SELECT allowed_source_ips FROM ingestion.sensor WHERE id = $1`, [sensorA]);
    expect(row.allowed_source_ips).toEqual(['203.0.113.60']);
    const again = await gqlRequest(svc.graphql, admin, DECIDE, { i: { requestId: good, approve: false } });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'BINDING_REQUEST_DECIDED' } });

    // the request for B's address: the provider sees the conflict, and refuses
    const contested = await ask(ADDRESS_OF_B);
    const approve = await gqlRequest(svc.graphql, admin, DECIDE, { i: { requestId: contested, approve: true } });
    expect(approve.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'SOURCE_IP_TAKEN' } });
    const refused = await gqlOk<{ decideAddressBinding: { status: string; note: string } }>(svc.graphql, admin, DECIDE, { i: { requestId: contested, approve: false, note: 'not your address' } });
    expect(refused.decideAddressBinding).toEqual({ id: contested, status: 'REJECTED', note: 'not your address' });
  });

  it('lets provider_admin bind directly, and anyone with the sensor remove an address', async () => {
    const admin = await tokenFor('provider_admin');
    await gqlOk(svc.graphql, admin, UPDATE, { id: sensorA, i: { allowedSourceIps: ['203.0.113.60', '203.0.113.61'] } });
    const r = await gqlOk<{ updateSensorSettings: { allowedSourceIps: string[] } }>(svc.graphql, await tokens().customer_admin, UPDATE, { id: sensorA, i: { allowedSourceIps: ['203.0.113.61'] } });
    expect(r.updateSensorSettings.allowedSourceIps).toEqual(['203.0.113.61']);
  });

  it("shows each requester only its own tenants' requests", async () => {
    const mine = await gqlOk<{ addressBindingRequests: { customerId: string }[] }>(svc.graphql, await tokenFor('customer_admin', { customerId: other.customerId }), LIST, {});
    expect(mine.addressBindingRequests).toEqual([]);
    const partner = await gqlOk<{ addressBindingRequests: { customerId: string }[] }>(svc.graphql, await tokenFor('partner_admin', { partnerId }), LIST, { s: 'REJECTED' });
    expect(partner.addressBindingRequests.length).toBeGreaterThan(0);
    expect(new Set(partner.addressBindingRequests.map((x) => x.customerId))).toEqual(new Set([a.customerId]));
    const viewer = await gqlRequest(svc.graphql, await tokenFor('customer_viewer', { customerId: a.customerId }), LIST, {});
    expect(viewer.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});

describe('ids that are not UUIDs', () => {
  it('answers BAD_USER_INPUT naming the argument, not an internal error', async () => {
    const admin = await tokenFor('provider_admin');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['query($c: ID) { sensors(customerId: $c) { id } }', { c: 'not-a-uuid' }, 'customerId'],
      ['mutation($id: ID!) { revokeSensor(sensorId: $id) { id } }', { id: '42' }, 'sensorId'],
      ['mutation($id: ID!) { rotateIngestToken(sensorId: $id) { ingestToken } }', { id: "x' OR 1=1" }, 'sensorId'],
      [UPDATE, { id: 'nope', i: { name: 'x' } }, 'sensorId'],
      ['mutation($id: ID!) { replayQuarantined(id: $id) { __typename } }', { id: 'nope' }, 'id'],
    ];
    for (const [query, vars, field] of cases) {
      const r = await gqlRequest(svc.graphql, admin, query, vars);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    }
    const refs = await gqlOk<{ _entities: unknown[] }>(svc.graphql, admin, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Sensor { id } ... on Alert { id } } }', {
      r: [{ __typename: 'Sensor', id: 'nope' }, { __typename: 'Alert', id: 'nope' }],
    });
    expect(refs._entities).toEqual([null, null]);
  });
});
