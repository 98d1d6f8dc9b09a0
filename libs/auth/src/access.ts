import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Extensions } from '@nestjs/graphql';
import { defineDomainErrors, DomainError } from '@kanshi/errors';
import { Principal, Role } from './claims';
import { canSeeCustomer, CustomerTenancy, scopeOf } from './tenant-scope';

// The access errors every service answers with: a role without the right, and a customer that is
// missing or another tenant's (the two look exactly alike).
export const AccessError = defineDomainErrors('AccessError', { FORBIDDEN: 'FORBIDDEN', CUSTOMER_NOT_FOUND: 'NOT_FOUND' });

// An action and the roles that may take it. Each domain lists its own in one `*.permissions.ts`.
export interface Permission {
  readonly action: string;
  readonly roles: readonly Role[];
}

export function definePermissions<const P extends Record<string, Permission>>(permissions: P): P {
  return permissions;
}

export const PERMISSION_KEY = 'kanshi:permission';

// Who may call a query, a mutation, a field resolver or an entity reference. AuthGuard refuses
// every other role (FORBIDDEN) before the handler runs; the API reference and its role matrix read
// the same permission from the schema. The service's `authorize` with the same Permission stays as
// the second check (and the only one for callers that bypass GraphQL).
// A query or mutation without it is refused to everybody (AuthGuard fails closed).
export function CallableBy(permission: Permission): MethodDecorator {
  const copy: Permission = { action: permission.action, roles: [...permission.roles] };
  return applyDecorators(SetMetadata(PERMISSION_KEY, copy), Extensions({ permission: copy }));
}

// The same check for an entity reference (`@ResolveReference`), which is no schema field: no
// extensions to write, only the permission AuthGuard enforces.
export function ReferenceCallableBy(permission: Permission): MethodDecorator {
  return SetMetadata(PERMISSION_KEY, { action: permission.action, roles: [...permission.roles] });
}

// The error AuthGuard and `authorize` answer a role without the right with.
export function forbidden(principal: Principal, permission: Permission): DomainError {
  return new AccessError('FORBIDDEN', `role ${principal.role} may not ${permission.action}`);
}

// The access check, first line of a service method: FORBIDDEN naming the role and the action.
export function authorize(principal: Principal, permission: Permission): void {
  if (!principal.hasRole(...permission.roles)) throw forbidden(principal, permission);
}

export interface CustomerLookup {
  lookup(customerId: string): Promise<CustomerTenancy | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A customer visible to this caller, or NOT_FOUND (reason CUSTOMER_NOT_FOUND) on `field`.
export async function visibleCustomerOrThrow(lookup: CustomerLookup, principal: Principal, customerId: string, field = 'customerId'): Promise<CustomerTenancy> {
  const customer = UUID.test(customerId) ? await lookup.lookup(customerId) : null;
  if (!customer || !canSeeCustomer(scopeOf(principal), customer)) throw new AccessError('CUSTOMER_NOT_FOUND', `customer ${customerId} not found`, field);
  return customer;
}
