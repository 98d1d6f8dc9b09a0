import { GATEWAY_SECRET_HEADER } from '@kanshi/platform';
import { tokenFor } from '@kanshi/testing';
import { bootIngestion, createCustomer, TestService } from '../../int-spec-helpers';

// Sensors reach /ingest on the public port; the subgraph, metrics and health stay on the internal
// one, and the subgraph answers only the gateway once SUBGRAPH_SECRET is set.
const SECRET = 'ingestion-int-subgraph-secret-0123456789';
let svc: TestService;

beforeAll(async () => {
  svc = await bootIngestion({ SUBGRAPH_SECRET: SECRET });
}, 120_000);
afterAll(() => svc?.close());

const gql = (headers: Record<string, string>) =>
  fetch(svc.graphql, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });

jest.setTimeout(60_000);

describe('ingestion ports', () => {
  it('takes events on the public port and not on the internal one', async () => {
    const admin = await tokenFor('provider_admin');
    const { customerId } = await createCustomer(svc);
    // registerSensor goes through the subgraph: without the secret it is refused (below), so call with it.
    const res = await fetch(svc.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, [GATEWAY_SECRET_HEADER]: SECRET },
      body: JSON.stringify({ query: 'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } ingestToken } }', variables: { i: { customerId, product: 'FORTIGATE', name: 'FGT ports' } } }),
    });
    const { data } = (await res.json()) as { data: { registerSensor: { sensor: { id: string }; ingestToken: string } } };
    const { sensor, ingestToken } = data.registerSensor;
    const post = (base: string) =>
      fetch(`${base}/ingest/v1/sensors/${sensor.id}/events`, { method: 'POST', headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'text/plain' }, body: 'date=2026-11-20 time=11:02:33 devname="FGT" devid="FGT60F0000000009" logid="0419016384" type="utm" subtype="ips" level="alert" attack="Port.Test" srcip=10.0.0.1 dstip=10.0.0.2 action="dropped"' });
    expect((await post(svc.url)).status).toBe(200);
    expect((await post(svc.internalUrl)).status).toBe(404);
  });

  it('answers no GraphQL, metrics or health on the public port', async () => {
    for (const [method, route] of [['POST', '/graphql'], ['GET', '/metrics'], ['GET', '/health/live'], ['GET', '/health/ready']]) {
      const res = await fetch(`${svc.url}${route}`, { method, headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: SECRET }, body: method === 'POST' ? '{"query":"{ _service { sdl } }"}' : undefined });
      expect([route, res.status]).toEqual([route, 404]);
    }
    expect((await fetch(`${svc.internalUrl}/health/ready`)).status).toBe(200);
  });

  it('refuses a subgraph call without the gateway secret, and its schema', async () => {
    const refused = await gql({});
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await refused.json())).not.toContain('type Query');
    expect((await gql({ [GATEWAY_SECRET_HEADER]: 'wrong-wrong-wrong-wrong-wrong-wrong' })).status).toBe(401);
    const ok = await gql({ [GATEWAY_SECRET_HEADER]: SECRET });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { _service: { sdl: string } } }).data._service.sdl).toContain('type Query');
  });
});
