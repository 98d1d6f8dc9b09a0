import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { forbidden, Permission, PERMISSION_KEY } from './access';
import { Principal } from './claims';
import { AuthenticationError, JwtVerifier } from './jwt';
import { scopeOf, TenantScope } from './tenant-scope';

const PUBLIC_KEY = 'kanshi:public';

export const Public = () => SetMetadata(PUBLIC_KEY, true);

interface RequestWithPrincipal {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  // Set when the token was already checked for this request and refused.
  authError?: string;
}

// Nest's marker on @ResolveReference methods (@nestjs/graphql RESOLVER_REFERENCE_METADATA).
const REFERENCE_RESOLVER_KEY = 'graphql:resolve_reference';
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

// An entity reference is called (representation, context, info), not (root, args, context, info).
function isReferenceResolver(context: ExecutionContext): boolean {
  return Reflect.getMetadata(REFERENCE_RESOLVER_KEY, context.getHandler()) === true;
}

export function requestOf(context: ExecutionContext): RequestWithPrincipal {
  if (context.getType<string>() === 'graphql') {
    if (isReferenceResolver(context)) return (context.getArgByIndex(1) as { req?: RequestWithPrincipal } | undefined)?.req as RequestWithPrincipal;
    return GqlExecutionContext.create(context).getContext()?.req;
  }
  return context.switchToHttp().getRequest();
}

// Where in the schema the guarded handler sits: a root operation, a field of another type, or an
// entity reference (which has no field of its own).
function targetOf(context: ExecutionContext): { root: boolean; name: string } {
  if (isReferenceResolver(context)) {
    const info = context.getArgByIndex(2) as GraphQLResolveInfo | undefined;
    return { root: false, name: `reference ${info?.returnType ? String(info.returnType) : context.getClass().name}` };
  }
  const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo | undefined>();
  const parent = info?.parentType?.name ?? context.getClass().name;
  return { root: ROOT_TYPES.has(parent), name: `${parent}.${info?.fieldName ?? context.getHandler().name}` };
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

// Every GraphQL operation is authenticated (subgraphs verify the token the gateway forwarded), and
// a role outside the handler's @CallableBy is refused (FORBIDDEN) before the handler runs: queries
// and mutations, field resolvers (subgraphModule turns guards on for them) and entity references.
// A query or mutation that declares no @CallableBy is refused to everybody (fails closed); a field
// resolver without one is as open as its parent object. The service's `authorize` checks again.
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Plain HTTP routes (health, metrics, sensor intake, webhooks) authenticate in their own way.
    if (context.getType<string>() !== 'graphql') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.get<Permission | undefined>(PERMISSION_KEY, context.getHandler());
    const target = targetOf(context);
    const req = requestOf(context);
    // Only a field resolver without a permission may run without a request (its parent was checked).
    if (!req) {
      if (!permission && !target.root) return true;
      throw unauthenticated('missing request context');
    }
    const principal = await this.principalOf(req);
    if (!permission) {
      if (target.root) throw new GraphQLError(`${target.name} declares no @CallableBy: refused to every role`, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
      return true;
    }
    if (!principal.hasRole(...permission.roles)) throw forbidden(principal, permission);
    return true;
  }

  private async principalOf(req: RequestWithPrincipal): Promise<Principal> {
    if (req.principal) return req.principal;
    if (req.authError) throw unauthenticated(req.authError);
    try {
      req.principal = await this.verifier.verifyHeader(req.headers.authorization);
      return req.principal;
    } catch (err) {
      if (err instanceof AuthenticationError) throw unauthenticated(err.message);
      throw err;
    }
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = requestOf(ctx).principal;
  if (!principal) throw unauthenticated('not authenticated');
  return principal;
});

export const CurrentScope = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantScope => {
  const principal = requestOf(ctx).principal;
  if (!principal) throw unauthenticated('not authenticated');
  return scopeOf(principal);
});
