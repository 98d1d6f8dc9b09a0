// Endpoints through the subgraph against the real database: who may register one, duplicate
// agents, bad input, and who sees which endpoints.
import { randomUUID } from 'node:crypto';
import { startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'endpoint-response', schema: 'endpoint_response', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

const REGISTER = `mutation($i: RegisterEndpointInput!) { registerEndpoint(input: $i) { id customerId hostName ipAddresses os edrProduct edrAgentId isolated } }`;
const LIST = `query($c: ID) { endpoints(customerId: $c) { id hostName customerId } }`;

async function register(customerId: string, hostName = 'pc-001'): Promise<{ id: string; hostName: string }> {
  return (await kit.ok('engineer', REGISTER, { i: { customerId, hostName, edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: randomUUID() } })).registerEndpoint;
}
const countFor = async (customerId: string) => Number((await kit.ds.query(`SELECT count(*) AS n FROM endpoint_response.endpoint WHERE customer_id = $1`, [customerId]))[0].n);

describe('registerEndpoint', () => {
  it('registers an endpoint that is not isolated', async () => {
    const { customerId } = await kit.createCustomer();
    const { registerEndpoint } = await kit.ok('provider_admin', REGISTER, {
      i: { customerId, hostName: 'srv-db-01', ipAddresses: ['10.0.0.5'], os: 'Windows Server 2022', edrProduct: 'CYBEREASON', edrAgentId: 'cr-1' },
    });
    expect(registerEndpoint).toMatchObject({ customerId, hostName: 'srv-db-01', ipAddresses: ['10.0.0.5'], os: 'Windows Server 2022', edrProduct: 'CYBEREASON', edrAgentId: 'cr-1', isolated: false });
  });

  it('refuses an agent already registered for that EDR as CONFLICT on edrAgentId', async () => {
    const { customerId } = await kit.createCustomer();
    const agent = randomUUID();
    const i = { customerId, hostName: 'pc-1', edrProduct: 'CARBON_BLACK', edrAgentId: agent };
    await kit.ok('engineer', REGISTER, { i });
    const r = await kit.gql('engineer', REGISTER, { i: { ...i, hostName: 'pc-2' } });
    expect(r.errors?.[0]).toMatchObject({ message: `CARBON_BLACK agent ${agent} is already registered`, extensions: { code: 'CONFLICT', reason: 'DUPLICATE_AGENT', field: 'edrAgentId' } });
    expect(await countFor(customerId)).toBe(1);
  });

  it.each([['analyst'], ['sales'], ['partner_admin'], ['customer_admin']] as const)('is FORBIDDEN to %s, and writes nothing', async (role) => {
    const { customerId, partnerId } = await kit.createCustomer({ partnerId: randomUUID() });
    const r = await kit.gql(role, REGISTER, { i: { customerId, hostName: 'pc', edrProduct: 'FIREEYE_HX', edrAgentId: randomUUID() } }, { partnerId: partnerId!, customerId });
    expect(r.errors?.[0]).toMatchObject({ message: `role ${role} may not register endpoints`, extensions: { code: 'FORBIDDEN', reason: 'FORBIDDEN' } });
    expect(await countFor(customerId)).toBe(0);
  });

  it('answers a customer it does not know with NOT_FOUND on customerId', async () => {
    const customerId = randomUUID();
    const r = await kit.gql('engineer', REGISTER, { i: { customerId, hostName: 'pc', edrProduct: 'FIREEYE_HX', edrAgentId: 'x' } });
    expect(r.errors?.[0]).toMatchObject({ message: `customer ${customerId} not found`, extensions: { code: 'NOT_FOUND', reason: 'CUSTOMER_NOT_FOUND', field: 'customerId' } });
  });

  it.each([
    ['an address that is not an IP', { ipAddresses: ['10.0.0.300'] }, 'ipAddresses'],
    ['an empty host name', { hostName: '' }, 'hostName'],
    ['an EDR it does not drive', { edrProduct: 'SENTINELONE' }, 'edrProduct'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_, over, field) => {
    const { customerId } = await kit.createCustomer();
    const r = await kit.gql('engineer', REGISTER, { i: { customerId, hostName: 'pc', edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: randomUUID(), ...over } });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain(field);
    expect(await countFor(customerId)).toBe(0);
  });
});

describe('who sees which endpoints', () => {
  it('shows a customer only its own, by host name; another tenant’s id reads as null', async () => {
    const mine = await kit.createCustomer();
    const theirs = await kit.createCustomer();
    const b = await register(mine.customerId, 'pc-b');
    const a = await register(mine.customerId, 'pc-a');
    const other = await register(theirs.customerId, 'pc-theirs');
    const ids = { customerId: mine.customerId };
    expect((await kit.ok('customer_viewer', LIST, {}, ids)).endpoints.map((e: { id: string }) => e.id)).toEqual([a.id, b.id]);
    expect((await kit.ok('customer_viewer', LIST, { c: theirs.customerId }, ids)).endpoints).toEqual([]);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Endpoint { id hostName } } }`;
    const { _entities } = await kit.ok('customer_admin', entities, { r: [{ __typename: 'Endpoint', id: a.id }, { __typename: 'Endpoint', id: other.id }] }, ids);
    expect(_entities).toEqual([{ id: a.id, hostName: 'pc-a' }, null]);
  });

  it('shows a partner its own customers’ endpoints, never another partner’s', async () => {
    const p1 = randomUUID();
    const ours = await kit.createCustomer({ partnerId: p1 });
    const other = await kit.createCustomer({ partnerId: randomUUID() });
    const a = await register(ours.customerId);
    await register(other.customerId);
    expect((await kit.ok('partner_admin', LIST, {}, { partnerId: p1 })).endpoints.map((e: { id: string }) => e.id)).toEqual([a.id]);
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { endpoints { id } } } }`;
    const { _entities } = await kit.ok('partner_admin', q, { r: [{ __typename: 'Customer', id: ours.customerId }, { __typename: 'Customer', id: other.customerId }] }, { partnerId: p1 });
    expect(_entities).toEqual([{ endpoints: [{ id: a.id }] }, { endpoints: [] }]);
  });
});
