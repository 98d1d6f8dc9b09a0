import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { ReportKindValue } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { ReportEntity } from './report.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ReportsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // Newest first, at most `limit` rows. A malformed customer id matches nothing.
  async list(scope: TenantScope, filter: { customerId?: string; kind?: ReportKindValue }, limit: number): Promise<ReportEntity[]> {
    if (filter.customerId !== undefined && !UUID.test(filter.customerId)) return [];
    const qb = this.ds.getRepository(ReportEntity).createQueryBuilder('r').orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').limit(limit);
    this.directory.applyScope(qb, scope, 'r.customer_id');
    if (filter.customerId) qb.andWhere('r.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    return qb.getMany();
  }

  // The newest `perCustomer` reports of each customer, in one query.
  async newestOf(scope: TenantScope, customerIds: readonly string[], perCustomer: number): Promise<ReportEntity[]> {
    const valid = customerIds.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .where(
        `r.id IN (SELECT ranked.id FROM (
           SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, id DESC) AS n
           FROM reporting.report WHERE customer_id = ANY(:customerIds)) ranked WHERE ranked.n <= :perCustomer)`,
        { customerIds: valid, perCustomer },
      )
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC');
    this.directory.applyScope(qb, scope, 'r.customer_id');
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<ReportEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds.getRepository(ReportEntity).createQueryBuilder('r').where('r.id IN (:...ids)', { ids: valid });
    this.directory.applyScope(qb, scope, 'r.customer_id');
    return qb.getMany();
  }
}
