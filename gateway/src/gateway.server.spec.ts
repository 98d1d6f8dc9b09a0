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
