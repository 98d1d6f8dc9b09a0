import { CustomerTenancy, Principal, Role, visibleCustomerOrThrow } from '@kanshi/auth';
import type { TenantDirectory } from '@kanshi/platform';

// For unit specs of services: two partners with one customer each, principals of any role, and a
// TenantDirectory stand-in that answers from those customers with the real visibility rule.
export const TENANTS: Readonly<Record<'P1' | 'P2' | 'C1' | 'C2', string>> = {
  P1: '00000000-0000-4000-8000-0000000000a1',
  P2: '00000000-0000-4000-8000-0000000000a2',
  // partner P1's customer
  C1: '00000000-0000-4000-8000-0000000000c1',
  // partner P2's customer
  C2: '00000000-0000-4000-8000-0000000000c2',
};

export function principalAs(role: Role, ids: { partnerId?: string; customerId?: string } = {}): Principal {
  return Principal.fromClaims({ sub: `u-${role}`, role, ...ids }, 't');
}

export function fakeTenantDirectory(
  customers: CustomerTenancy[] = [
    { customerId: TENANTS.C1, partnerId: TENANTS.P1 },
    { customerId: TENANTS.C2, partnerId: TENANTS.P2 },
  ],
): TenantDirectory {
  const lookup = { lookup: async (id: string) => customers.find((c) => c.customerId === id) ?? null };
  return { ...lookup, visibleCustomerOrThrow: (p: Principal, id: string, field?: string) => visibleCustomerOrThrow(lookup, p, id, field) } as unknown as TenantDirectory;
}
