import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
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

export function requestOf(context: ExecutionContext): RequestWithPrincipal {
  if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getContext().req;
  return context.switchToHttp().getRequest();
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

// Every GraphQL operation is authenticated (subgraphs verify the token the gateway forwarded);
// who may do what is the service's `authorize` (access.ts), not a decorator here.
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
    const req = requestOf(context);
    if (!req) return true; // federation internals without a request object
    if (!req.principal && req.authError) throw unauthenticated(req.authError);
    if (!req.principal) {
      try {
        req.principal = await this.verifier.verifyHeader(req.headers.authorization);
      } catch (err) {
        if (err instanceof AuthenticationError) throw unauthenticated(err.message);
        throw err;
      }
    }
    return true;
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
