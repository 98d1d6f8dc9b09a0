import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { CLIENT_IP_HEADER, SubgraphClient } from './subgraph-client';

// What the gateway sends a subgraph: the caller's address for the audit trail, set by the gateway.
describe('SubgraphClient headers', () => {
  let server: Server;
  let seen: IncomingHttpHeaders[] = [];
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ data: { ok: true } })));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen = [];
  });

  const call = (client: SubgraphClient, context: Record<string, unknown>) =>
    client.process({ kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION, request: { query: '{ ok }' }, context, incomingRequestContext: {} } as never);

  it("forwards the caller's address the gateway saw as x-kanshi-client-ip", async () => {
    const client = new SubgraphClient('contracts', url);
    await call(client, { authorization: 'Bearer t', clientIp: '198.51.100.5' });
    expect(seen[0][CLIENT_IP_HEADER]).toBe('198.51.100.5');
    await client.close();
  });

  it('sends no address when the gateway has none (never one a client sent)', async () => {
    const client = new SubgraphClient('contracts', url);
    await call(client, { authorization: 'Bearer t' });
    expect(seen[0][CLIENT_IP_HEADER]).toBeUndefined();
    await client.close();
  });
});
