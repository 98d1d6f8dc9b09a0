import { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Pool } from 'undici';
import { CORRELATION_HEADER } from '@kanshi/observability';

export interface GatewayRequestContext {
  authorization?: string;
  correlationId?: string;
}

// Calls a subgraph over a pool of kept-alive HTTP/1.1 connections (undici), forwarding the
// caller's token (the subgraph verifies it again) and the correlation id. It replaces Apollo's
// RemoteGraphQLDataSource, whose default fetcher (make-fetch-happen) builds a caching fetch
// pipeline per call that cost more CPU than planning and merging the query (docs/benchmarks.md).
export class SubgraphClient implements GraphQLDataSource<GatewayRequestContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    readonly name: string,
    readonly url: string,
    opts: { connections?: number } = {},
  ) {
    const u = new URL(url);
    this.path = `${u.pathname}${u.search}`;
    this.pool = new Pool(u.origin, { connections: opts.connections ?? 64, keepAliveTimeout: 30000 });
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayRequestContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION) {
      const ctx = options.context;
      if (ctx.authorization) headers.authorization = ctx.authorization;
      if (ctx.correlationId) headers[CORRELATION_HEADER] = ctx.correlationId;
    }
    const res = await this.pool.request({
      path: this.path,
      method: 'POST',
      headers,
      body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
    });
    const text = await res.body.text();
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
