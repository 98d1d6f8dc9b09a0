import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { TenantScope } from '@kanshi/auth';

// Restricts rows owned by a customer (`column` holds the customer id) to what the scope may see.
// contracts is where customers live, so partners are resolved against its own customer table.
export function applyCustomerScope<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, scope: TenantScope, column: string): SelectQueryBuilder<T> {
  if (scope.kind === 'customer') return qb.andWhere(`${column} = :scopeCustomerId`, { scopeCustomerId: scope.customerId });
  if (scope.kind === 'partner') {
    return qb.andWhere(`${column} IN (SELECT sc.id FROM contracts.customer sc WHERE sc.partner_id = :scopePartnerId)`, { scopePartnerId: scope.partnerId });
  }
  return qb;
}
