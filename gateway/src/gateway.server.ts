import './telemetry';
import { ApolloGateway, ServiceEndpointDefinition } from '@apollo/gateway';
import { ApolloServer, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { GraphQLError } from 'graphql';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AuthenticationError, JwtVerifier, Principal } from '@kanshi/auth';
import { CORRELATION_HEADER, createLogger } from '@kanshi/observability';
import { GatewayConfig, subgraphUrlOverrides } from './config';
import { aliasLimit, costLimitPlugin, depthLimit } from './limits/query-limits';
import { SubgraphClient } from './subgraph-client';

export interface GatewayContext extends BaseContext {
  authorization: string;
  correlationId?: string;
  // The caller's address (the socket's, or X-Forwarded-For's first hop behind the ingress), sent to
  // subgraphs as x-kanshi-client-ip for the audit trail; a client's own such header is never passed on.
  clientIp?: string;
  principal: Principal;
}

export function defaultSupergraphPath(): string {
  // gateway/src -> gateway/supergraph.graphql, from the sources and from dist/.
  return path.resolve(__dirname, '..', 'supergraph.graphql').replace(`${path.sep}dist${path.sep}`, path.sep);
}

export function subgraphUrls(supergraphSdl: string, env: NodeJS.ProcessEnv = process.env): { name: string; url: string }[] {
  const overrides = subgraphUrlOverrides(env);
  return [...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)].map(([, name, url]) => ({ name, url: overrides[name] ?? url }));
}

export async function createGatewayServer(config: GatewayConfig, verifier: JwtVerifier, env: NodeJS.ProcessEnv = process.env) {
  const log = createLogger('gateway');
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH ?? defaultSupergraphPath(), 'utf8');
  const overrides = subgraphUrlOverrides(env);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }: ServiceEndpointDefinition) => new SubgraphClient(name, overrides[name] ?? url!, { secret: config.SUBGRAPH_SECRET }),
  });
  const production = config.NODE_ENV === 'production';
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: config.INTROSPECTION && !production,
    // No "Did you mean ...?" hints that reveal the schema to callers who may not introspect it.
    hideSchemaDetailsFromClientErrors: production,
    csrfPrevention: true,
    allowBatchedHttpRequests: true,
    includeStacktraceInErrorResponses: false,
    // A long query is refused while it is parsed: validating one of 1 MiB took seconds.
    parseOptions: { maxTokens: config.MAX_QUERY_TOKENS },
    validationRules: [depthLimit(config.MAX_QUERY_DEPTH), aliasLimit(config.MAX_ALIASES)],
    // The cost is priced with the request's variables, so after validation.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), costLimitPlugin(config.MAX_QUERY_COST)],
    logger: {
      debug: (m) => log.debug(m),
      info: (m) => log.info(m),
      warn: (m) => log.warn(m),
      error: (m) => log.error(m),
    },
  });
  await server.start();

  const context = async (request: { headers: Record<string, string | string[] | undefined>; ip?: string }): Promise<GatewayContext> => {
    const authorization = request.headers.authorization;
    try {
      const principal = await verifier.verifyHeader(authorization);
      const correlationId = request.headers[CORRELATION_HEADER];
      return { authorization: authorization as string, principal, correlationId: typeof correlationId === 'string' ? correlationId : undefined, clientIp: request.ip };
    } catch (err) {
      if (err instanceof AuthenticationError) throw new GraphQLError(err.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      throw err;
    }
  };

  return {
    server,
    gateway,
    supergraphSdl,
    register(fastify: FastifyInstance) {
      fastify.route({
        url: '/graphql',
        method: ['GET', 'POST', 'OPTIONS'],
        // A batch is several operations in one request: bounded like everything else.
        preValidation: async (req, reply) => {
          if (Array.isArray(req.body) && req.body.length > config.MAX_BATCH_OPERATIONS) {
            await reply.code(400).send({ errors: [{ message: `a batch may hold at most ${config.MAX_BATCH_OPERATIONS} operations (got ${req.body.length})`, extensions: { code: 'BATCH_TOO_LARGE' } }] });
          }
        },
        // The integration types its route more narrowly than fastify.route() accepts.
        handler: fastifyApolloHandler(server, { context: (req) => context(req) }) as unknown as RouteHandlerMethod,
      });
    },
  };
}
