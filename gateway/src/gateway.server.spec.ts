import * as net from 'node:net';
import { JwtVerifier } from '@kanshi/auth';
import { loadConfig } from './config';
import { createGatewayServer, subgraphUrls } from './gateway.server';

const SECRET = 'gateway-spec-secret-gateway-spec-secret';

async function serverFor(env: Record<string, string>) {
  const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test', ...env });
  return createGatewayServer(config, new JwtVerifier({ mode: 'hs256', secret: SECRET }), env);
}

// Validation happens before any subgraph is called, so no subgraph needs to run here.
async function errorsOf(server: Awaited<ReturnType<typeof serverFor>>['server'], query: string): Promise<string[]> {
  const res = await server.executeOperation({ query }, { contextValue: { authorization: 'Bearer x' } as never });
  if (res.body.kind !== 'single') throw new Error('expected a single result');
  return (res.body.singleResult.errors ?? []).map((e) => e.message);
}

describe('gateway schema exposure', () => {
  it('in production refuses introspection and gives no field suggestions', async () => {
    // NODE_ENV=production requires JWKS auth; the spec builds the server directly with a verifier.
    const config = loadConfig({ AUTH_MODE: 'jwks', OIDC_ISSUER: 'https://id.example.test/', OIDC_JWKS_URL: 'https://id.example.test/jwks', OIDC_AUDIENCE: 'kanshi-api', NODE_ENV: 'production', SUBGRAPH_SECRET: 'g'.repeat(32) });
    const gw = await createGatewayServer(config, new JwtVerifier({ mode: 'hs256', secret: SECRET }), {});
    try {
      expect((await errorsOf(gw.server, '{ __schema { types { name } } }'))[0]).toMatch(/introspection is not allowed/i);
      const [message] = await errorsOf(gw.server, '{ custmers { id } }');
      expect(message).toMatch(/Cannot query field "custmers" on type "Query"/);
      expect(message).not.toMatch(/Did you mean/);
    } finally {
      await gw.server.stop();
    }
  });

  it('in development allows introspection and suggests fields', async () => {
    const gw = await serverFor({ NODE_ENV: 'development' });
    try {
      expect(await errorsOf(gw.server, '{ __schema { queryType { name } } }')).toEqual([]);
      expect((await errorsOf(gw.server, '{ custmers { id } }'))[0]).toMatch(/Did you mean "customers"/);
    } finally {
      await gw.server.stop();
    }
  });

  it('lets each environment point a subgraph elsewhere', async () => {
    const gw = await serverFor({ NODE_ENV: 'development' });
    try {
      const urls = subgraphUrls(gw.supergraphSdl, { SUBGRAPH_URL_ENDPOINT_RESPONSE: 'http://endpoint-response:3000/graphql' });
      expect(urls).toContainEqual({ name: 'endpoint-response', url: 'http://endpoint-response:3000/graphql' });
      expect(urls).toContainEqual({ name: 'contracts', url: 'http://127.0.0.1:4101/graphql' });
      expect(urls).toHaveLength(6);
    } finally {
      await gw.server.stop();
    }
  });
});

async function resultOf(server: Awaited<ReturnType<typeof serverFor>>['server'], query: string, variables?: Record<string, unknown>) {
  const res = await server.executeOperation({ query, variables }, { contextValue: { authorization: 'Bearer x' } as never });
  if (res.body.kind !== 'single') throw new Error('expected a single result');
  return { http: res.http.status, ...res.body.singleResult };
}

describe('gateway query limits', () => {
  // contracts and incident "run" on a port nobody listens on: a query within the limits meets
  // SUBGRAPH_UNAVAILABLE.
  let closedPort = 0;
  let closed: Record<string, string> = {};
  beforeAll(async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    closed = { SUBGRAPH_URL_CONTRACTS: `http://127.0.0.1:${closedPort}/graphql`, SUBGRAPH_URL_INCIDENT: `http://127.0.0.1:${closedPort}/graphql` };
  });

  it('refuses a 1 MiB query while parsing it (MAX_QUERY_TOKENS)', async () => {
    const gw = await serverFor({ NODE_ENV: 'test', ...closed });
    try {
      const query = `{ customers { ${'id '.repeat(Math.floor((1024 * 1024) / 3) - 10)}} }`;
      const r = await resultOf(gw.server, query);
      expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/more th\w+ 5000 tokens/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
      expect(r.http).toBe(400);
    } finally {
      await gw.server.stop();
    }
  });

  it("prices a page size given as a variable at the variable's value", async () => {
    const gw = await serverFor({ NODE_ENV: 'test', MAX_QUERY_COST: '5000', ...closed });
    try {
      const query = 'query($n: Int) { customers { incidents(first: $n) { edges { node { id title } } } } }';
      const big = await resultOf(gw.server, query, { n: 200 });
      expect(big.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^query cost \d+ exceeds the limit of 5000$/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'QUERY_TOO_EXPENSIVE' } });
      expect(big.http).toBe(400);
      // a small page passes the limit and reaches the (unreachable) subgraph
      const small = await resultOf(gw.server, query, { n: 2 });
      expect(small.errors?.map((e) => e.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');
    } finally {
      await gw.server.stop();
    }
  });

  it("answers an unreachable subgraph with its name, never its host or port", async () => {
    const gw = await serverFor({ NODE_ENV: 'test', ...closed });
    try {
      const r = await resultOf(gw.server, '{ customers { id } }');
      expect(r.errors?.[0]).toMatchObject({ message: 'subgraph contracts is unavailable', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      const answer = JSON.stringify(r);
      for (const leak of ['127.0.0.1', String(closedPort), 'ECONNREFUSED', 'http:']) expect(answer).not.toContain(leak);
    } finally {
      await gw.server.stop();
    }
  });
});
