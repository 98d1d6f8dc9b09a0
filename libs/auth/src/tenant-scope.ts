import { Principal } from './claims';

// What part of the data a caller may see. Provider staff: everything their role allows;
// a partner: its own customers; a customer: itself.
export type TenantScope = { kind: 'all' } | { kind: 'partner'; partnerId: string } | { kind: 'customer'; customerId: string };

export function scopeOf(principal: Principal): TenantScope {
  if (principal.isProvider) return { kind: 'all' };
  if (principal.isPartner) return { kind: 'partner', partnerId: principal.partnerId! };
  return { kind: 'customer', customerId: principal.customerId! };
}

export interface CustomerTenancy {
  customerId: string;
  partnerId: string | null;
}

// The one statement of who sees a customer: provider staff all, a partner its own, a customer itself.
export function canSeeCustomer(scope: TenantScope, customer: CustomerTenancy | null | undefined): boolean {
  if (!customer) return false;
  switch (scope.kind) {
    case 'all':
      return true;
    case 'partner':
      return customer.partnerId === scope.partnerId;
    case 'customer':
      return customer.customerId === scope.customerId;
  }
}

// Where a service finds which customers belong to a partner: its `tenant_customer` directory
// (kept from contracts' events) or, in contracts, its own customer table. Names are trusted SQL.
export interface PartnerCustomersTable {
  table: string;
  customerColumn: string;
  partnerColumn: string;
}

// The same rule as a SQL condition on rows whose customer id is in `column`. `placeholder` is the
// driver's parameter for the one value returned in `params` ('$3' for pg, ':tenant' for TypeORM).
export function scopeSql(scope: TenantScope, column: string, partners: PartnerCustomersTable, placeholder: string): { sql: string; params: string[] } {
  switch (scope.kind) {
    case 'all':
      return { sql: 'TRUE', params: [] };
    case 'customer':
      return { sql: `${column} = ${placeholder}`, params: [scope.customerId] };
    case 'partner':
      return { sql: `${column} IN (SELECT ${partners.customerColumn} FROM ${partners.table} WHERE ${partners.partnerColumn} = ${placeholder})`, params: [scope.partnerId] };
  }
}
