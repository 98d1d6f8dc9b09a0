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

// A SQL condition restricting rows whose customer id column is `column` to the scope, using the
// service's own tenant_customer directory for partners. Returns [sql, params] to append.
export function scopeCondition(scope: TenantScope, column: string, schema: string, firstParam: number): [string, unknown[]] {
  switch (scope.kind) {
    case 'all':
      return ['TRUE', []];
    case 'customer':
      return [`${column} = $${firstParam}`, [scope.customerId]];
    case 'partner':
      return [`${column} IN (SELECT customer_id FROM "${schema}".tenant_customer WHERE partner_id = $${firstParam})`, [scope.partnerId]];
  }
}
