import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CustomerUpserted } from '@kanshi/events';
import { CustomerTenancy, scopeCondition, TenantScope } from '@kanshi/auth';
import { ConsumerHost } from '@kanshi/messaging';

// Each service's copy of "which partner does this customer belong to", kept from contracts'
// events, so partner callers can be scoped without asking another service.
export class TenantDirectory {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
  ) {}

  registerConsumer(host: ConsumerHost, service: string): void {
    host.register({
      durable: `${service}-tenant-directory`,
      event: CustomerUpserted,
      handle: async (event, { em }) => {
        await em.query(
          `INSERT INTO "${this.schema}".tenant_customer (customer_id, partner_id, name, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (customer_id) DO UPDATE SET partner_id = EXCLUDED.partner_id, name = EXCLUDED.name, updated_at = EXCLUDED.updated_at
           WHERE "${this.schema}".tenant_customer.updated_at <= EXCLUDED.updated_at`,
          [event.body.customerId, event.body.partnerId ?? null, event.body.name, event.occurredAt],
        );
      },
    });
  }

  async lookup(customerId: string): Promise<CustomerTenancy | null> {
    const rows: { customer_id: string; partner_id: string | null }[] = await this.ds.query(
      `SELECT customer_id, partner_id FROM "${this.schema}".tenant_customer WHERE customer_id = $1`,
      [customerId],
    );
    return rows[0] ? { customerId: rows[0].customer_id, partnerId: rows[0].partner_id } : null;
  }

  condition(scope: TenantScope, column: string, firstParam: number): [string, unknown[]] {
    return scopeCondition(scope, column, this.schema, firstParam);
  }

  // The same restriction on a TypeORM query builder.
  applyScope<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, scope: TenantScope, column: string): SelectQueryBuilder<T> {
    if (scope.kind === 'customer') return qb.andWhere(`${column} = :scopeCustomerId`, { scopeCustomerId: scope.customerId });
    if (scope.kind === 'partner') {
      return qb.andWhere(`${column} IN (SELECT customer_id FROM "${this.schema}".tenant_customer WHERE partner_id = :scopePartnerId)`, { scopePartnerId: scope.partnerId });
    }
    return qb;
  }
}

export async function canSeeCustomerId(directory: TenantDirectory, scope: TenantScope, customerId: string): Promise<boolean> {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'customer') return scope.customerId === customerId;
  const entry = await directory.lookup(customerId);
  return entry?.partnerId === scope.partnerId;
}
