import 'reflect-metadata';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ResolveReference } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { AccessError, CallableBy, definePermissions, ReferenceCallableBy } from './access';
import { Principal } from './claims';
import { AuthGuard, Public } from './guard';
import { AuthenticationError, JwtVerifier } from './jwt';

const Permissions = definePermissions({
  readAlerts: { action: 'read alerts', roles: ['provider_admin', 'analyst', 'customer_admin'] },
  runBilling: { action: 'run billing', roles: ['provider_admin'] },
});

class Handlers {
  @CallableBy(Permissions.runBilling)
  runBilling(): void {}

  undeclared(): void {}

  @Public()
  health(): void {}

  @CallableBy(Permissions.readAlerts)
  verdict(): void {}

  plainField(): void {}

  @ResolveReference()
  @ReferenceCallableBy(Permissions.readAlerts)
  resolveReference(): void {}

  @ResolveReference()
  resolveUndeclaredReference(): void {}
}

// The verifier maps a bearer token "role:<role>" to a principal of that role.
const verifier = {
  verifyHeader: async (header: string | undefined) => {
    const role = /^Bearer role:(\w+)$/.exec(header ?? '')?.[1];
    if (!role) throw new AuthenticationError('missing Authorization header (expected "Bearer <token>")');
    return Principal.fromClaims({ sub: 'u1', role, customerId: 'c1', partnerId: 'p1' }, 'token');
  },
} as unknown as JwtVerifier;

const guard = new AuthGuard(verifier, new Reflector());
const request = (role?: string) => ({ headers: role ? { authorization: `Bearer role:${role}` } : {} });
const info = (parentType: string, fieldName: string) => ({ parentType: { name: parentType }, fieldName, returnType: 'Alert' });

function context(handler: keyof Handlers, args: unknown[]): ExecutionContextHost {
  const host = new ExecutionContextHost(args, Handlers, Handlers.prototype[handler]);
  host.setType('graphql');
  return host;
}
// A query, mutation or field resolver: (root, args, context, info).
const field = (handler: keyof Handlers, parentType: string, role?: string) => context(handler, [{}, {}, { req: request(role) }, info(parentType, handler)]);
// An entity reference: (representation, context, info).
const reference = (handler: keyof Handlers, role?: string, req: unknown = request(role)) => context(handler, [{ __typename: 'Alert', id: 'a1' }, { req }, info('Alert', '_entities')]);

async function refusal(ctx: ExecutionContextHost): Promise<unknown> {
  return guard.canActivate(ctx).then(
    () => null,
    (e: unknown) => e,
  );
}

describe('AuthGuard', () => {
  it("refuses a role outside the operation's @CallableBy, naming role and action, and lets the listed roles through", async () => {
    await expect(guard.canActivate(field('runBilling', 'Mutation', 'provider_admin'))).resolves.toBe(true);
    for (const role of ['analyst', 'engineer', 'sales', 'partner_admin', 'customer_admin', 'customer_viewer']) {
      const err = await refusal(field('runBilling', 'Mutation', role));
      expect(AccessError.is(err, 'FORBIDDEN')).toBe(true);
      expect(err).toMatchObject({ kind: 'FORBIDDEN', message: `role ${role} may not run billing` });
    }
  });

  it('refuses to every role a query or mutation that declares no @CallableBy', async () => {
    const err = await refusal(field('undeclared', 'Query', 'provider_admin'));
    expect(err).toBeInstanceOf(GraphQLError);
    expect(err).toMatchObject({ message: 'Query.undeclared declares no @CallableBy: refused to every role', extensions: { code: 'FORBIDDEN' } });
  });

  it('answers UNAUTHENTICATED without a token, before looking at the role', async () => {
    const err = await refusal(field('runBilling', 'Mutation'));
    expect(err).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: 'missing Authorization header (expected "Bearer <token>")' });
  });

  it('lets @Public handlers through without a token', async () => {
    await expect(guard.canActivate(field('health', 'Query'))).resolves.toBe(true);
  });

  it('checks a field resolver of another type (an extending field) against its @CallableBy', async () => {
    await expect(guard.canActivate(field('verdict', 'Alert', 'customer_admin'))).resolves.toBe(true);
    expect(await refusal(field('verdict', 'Alert', 'sales'))).toMatchObject({ kind: 'FORBIDDEN', message: 'role sales may not read alerts' });
    expect(await refusal(field('verdict', 'Alert'))).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('lets a field resolver without @CallableBy run for any authenticated caller (its parent was checked)', async () => {
    await expect(guard.canActivate(field('plainField', 'Incident', 'sales'))).resolves.toBe(true);
    expect(await refusal(field('plainField', 'Incident'))).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('reads the caller of an entity reference from its (representation, context, info) arguments and checks the role', async () => {
    await expect(guard.canActivate(reference('resolveReference', 'analyst'))).resolves.toBe(true);
    expect(await refusal(reference('resolveReference', 'sales'))).toMatchObject({ kind: 'FORBIDDEN', message: 'role sales may not read alerts' });
    expect(await refusal(reference('resolveReference', 'engineer'))).toMatchObject({ kind: 'FORBIDDEN', message: 'role engineer may not read alerts' });
    expect(await refusal(reference('resolveReference'))).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(await refusal(reference('resolveReference', 'analyst', null))).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('still authenticates an entity reference without a permission', async () => {
    await expect(guard.canActivate(reference('resolveUndeclaredReference', 'sales'))).resolves.toBe(true);
    expect(await refusal(reference('resolveUndeclaredReference'))).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('verifies the token once per request', async () => {
    const req = request('analyst');
    const spy = jest.spyOn(verifier, 'verifyHeader');
    await guard.canActivate(context('verdict', [{}, {}, { req }, info('Alert', 'verdict')]));
    await guard.canActivate(context('resolveReference', [{}, { req }, info('Alert', '_entities')]));
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
