import { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Dispatcher, Pool } from 'undici';
import { CORRELATION_HEADER, createLogger } from '@kanshi/observability';

// The header subgraphs check (libs/platform public-port.ts); kept here as a literal so the
// gateway does not load the subgraph platform.
export const GATEWAY_SECRET_HEADER = 'x-kanshi-gateway-secret';
// The caller's address, for the subgraphs' audit trail (libs/platform audit-record.ts).
export const CLIENT_IP_HEADER = 'x-kanshi-client-ip';
const log = createLogger('subgraph-client');

export interface GatewayRequestContext {
  authorization?: string;
  correlationId?: string;
  clientIp?: string;
}

// Calls a subgraph over a pool of kept-alive HTTP/1.1 connections (undici), forwarding the
// caller's token (the subgraph verifies it again) and the correlation id. It replaces Apollo's
// RemoteGraphQLDataSource, whose default fetcher (make-fetch-happen) builds a caching fetch
// pipeline per call that cost more CPU than planning and merging the query (docs/benchmarks.md).
export class SubgraphClient implements GraphQLDataSource<GatewayRequestContext> {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly secret?: string;

  constructor(
    readonly name: string,
    readonly url: string,
    opts: { connections?: number; secret?: string } = {},
  ) {
    this.secret = opts.secret;
    const u = new URL(url);
    this.path = `${u.pathname}${u.search}`;
    this.pool = new Pool(u.origin, { connections: opts.connections ?? 64, keepAliveTimeout: 30000 });
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayRequestContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.secret) headers[GATEWAY_SECRET_HEADER] = this.secret;
    if (options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION) {
      const ctx = options.context;
      if (ctx.authorization) headers.authorization = ctx.authorization;
      if (ctx.correlationId) headers[CORRELATION_HEADER] = ctx.correlationId;
      if (ctx.clientIp) headers[CLIENT_IP_HEADER] = ctx.clientIp;
    }
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers,
        body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
      });
      text = await res.body.text();
    } catch (err) {
      // The caller learns which part is down, not the internal host and port (those go to the log).
      log.error({ err, subgraph: this.name }, `subgraph ${this.name} unreachable`);
      return { errors: [{ message: `subgraph ${this.name} is unavailable`, extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] } as GatewayGraphQLResponse;
    }
    let body: GatewayGraphQLResponse;
    try {
      body = JSON.parse(text);
    } catch {
      return { errors: [{ message: `subgraph ${this.name} answered ${res.statusCode} with a body that is not JSON`, extensions: { code: 'SUBGRAPH_ERROR' } }] } as GatewayGraphQLResponse;
    }
    // A subgraph's own GraphQL errors (UNAUTHENTICATED with 401, say) pass through with their codes.
    if (res.statusCode >= 300 && !body.errors) {
      return { errors: [{ message: `subgraph ${this.name} answered ${res.statusCode}`, extensions: { code: 'SUBGRAPH_ERROR' } }] } as GatewayGraphQLResponse;
    }
    return body;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
