import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthenticationError, JwtVerifier, Principal, unauthenticated } from '@kanshi/auth';
import { NatsBus } from '@kanshi/messaging';
import { AuditScope } from '@kanshi/observability';
import { AuditRequest, clientIpOf, isAuditedActor } from './audit/audit-record';
import { auditPlugin } from './audit/audit.plugin';
import { bindAuditRequest } from './audit/audit-transactions';
import { formatGraphQLError } from './errors';
import { idArgumentsPlugin } from './id-arguments';
import type { PlatformOptions } from './platform.module';
import { PLATFORM_OPTIONS } from './platform-tokens';

export interface SubgraphRequest {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  principal?: Principal;
  authError?: string;
}

export interface SubgraphContext {
  req: SubgraphRequest;
  // Set when the caller is provider staff or a partner: what the audit trail records of this request.
  audit?: AuditRequest;
}

// Every service's subgraph is set up the same way: code-first, Federation 2, errors mapped once,
// and the caller verified once per request (resolvers and entity references read it from here).
// `orphanedTypes`: entity stubs that this subgraph only extends (Customer), not reachable from Query.
export function subgraphModule(opts: { production: boolean; orphanedTypes?: Function[] }): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    inject: [JwtVerifier, NatsBus, PLATFORM_OPTIONS],
    useFactory: (verifier: JwtVerifier, bus: NatsBus, platform: PlatformOptions) => ({
      autoSchemaFile: { federation: 2 },
      sortSchema: true,
      buildSchemaOptions: { orphanedTypes: opts.orphanedTypes ?? [] },
      path: '/graphql',
      playground: false,
      introspection: !opts.production,
      csrfPrevention: true,
      formatError: formatGraphQLError,
      // AuthGuard also runs on @ResolveField and @ResolveReference handlers, so an extending field
      // or an entity reference refuses a role outside its @CallableBy like a query does.
      fieldResolverEnhancers: ['guards'],
      includeStacktraceInErrorResponses: false,
      // Traces go to Apollo's SaaS and cache hints to CDNs, neither of which Kanshi uses;
      // computing them costs every request. An ID argument that is no UUID is BAD_USER_INPUT. Every
      // read or change of a customer's data by provider staff or a partner is audited.
      plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), idArgumentsPlugin(), auditPlugin({ service: platform.service, bus })],
      context: async (req: SubgraphRequest): Promise<SubgraphContext> => {
        if (req.headers?.authorization) {
          try {
            req.principal = await verifier.verifyHeader(req.headers.authorization);
          } catch (err) {
            if (!(err instanceof AuthenticationError)) throw err;
            req.authError = err.message;
          }
        }
        if (!isAuditedActor(req.principal)) return { req };
        // x-kanshi-client-ip is the gateway's: the subgraph port answers only the gateway (and operators).
        const audit = new AuditRequest(new AuditScope(), req.principal, clientIpOf(req));
        bindAuditRequest(audit);
        return { req, audit };
      },
    }),
  });
}

// For entity references and field resolvers that read the caller from the context.
export function principalOf(ctx: SubgraphContext): Principal {
  if (ctx.req.principal) return ctx.req.principal;
  throw unauthenticated(ctx.req.authError ?? 'missing Authorization header (expected "Bearer <token>")');
}
