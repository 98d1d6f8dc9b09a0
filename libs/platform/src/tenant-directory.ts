import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CustomerUpserted } from '@kanshi/events';
import { CustomerLookup, CustomerTenancy, PartnerCustomersTable, Principal, scopeSql, TenantScope, visibleCustomerOrThrow } from '@kanshi/auth';
import { ConsumerHost } from '@kanshi/messaging';

// Each service's copy of "which partner does this customer belong to", kept from contracts'
// events, so partner callers can be scoped without asking another service. contracts, where
// customers live, points it at its own customer table instead.
export class TenantDirectory implements CustomerLookup {
  private readonly partners: PartnerCustomersTable;

  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
    partners?: PartnerCustomersTable,
  ) {
    this.partners = partners ?? { table: `"${schema}".tenant_customer`, customerColumn: 'customer_id', partnerColumn: 'partner_id' };
  }

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
    const p = this.partners;
    const rows: { customer_id: string; partner_id: string | null }[] = await this.ds.query(
      `SELECT ${p.customerColumn} AS customer_id, ${p.partnerColumn} AS partner_id FROM ${p.table} WHERE ${p.customerColumn} = $1`,
      [customerId],
    );
    return rows[0] ? { customerId: rows[0].customer_id, partnerId: rows[0].partner_id } : null;
  }

  // A customer the caller may act on, or NOT_FOUND on `field`.
  visibleCustomerOrThrow(principal: Principal, customerId: string, field = 'customerId'): Promise<CustomerTenancy> {
    return visibleCustomerOrThrow(this, principal, customerId, field);
  }

  // The scope as a raw SQL condition whose one parameter is `$firstParam`.
  condition(scope: TenantScope, column: string, firstParam: number): [string, unknown[]] {
    const { sql, params } = scopeSql(scope, column, this.partners, `$${firstParam}`);
    return [sql, params];
  }

  // The same restriction on a TypeORM query builder.
  applyScope<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, scope: TenantScope, column: string): SelectQueryBuilder<T> {
    const { sql, params } = scopeSql(scope, column, this.partners, ':scopeTenantId');
    return params.length ? qb.andWhere(sql, { scopeTenantId: params[0] }) : qb;
  }
}
