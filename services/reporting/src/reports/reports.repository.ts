import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantScope } from '@kanshi/auth';
import { ReportKindValue } from '@kanshi/events';
import { TenantDirectory } from '@kanshi/platform';
import { ReportEntity } from './report.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NewReport = Omit<ReportEntity, 'id' | 'createdAt' | 'storageKey'> & { keyOf: (id: string) => string };

@Injectable()
export class ReportsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // Newest first, at most `limit` rows. A malformed customer id matches nothing.
  async list(scope: TenantScope, filter: { customerId?: string; kind?: ReportKindValue }, limit: number): Promise<ReportEntity[]> {
    if (filter.customerId !== undefined && !UUID.test(filter.customerId)) return [];
    const qb = this.scoped(scope).orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').limit(limit);
    if (filter.customerId) qb.andWhere('r.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    return qb.getMany();
  }

  // One page in keyset order (created_at DESC, id DESC), `first + 1` rows to tell if more follow.
  async page(scope: TenantScope, filter: { customerId?: string; kind?: ReportKindValue }, first: number, after?: { createdAt: string; id: string }): Promise<ReportEntity[]> {
    if (filter.customerId !== undefined && !UUID.test(filter.customerId)) return [];
    // Milliseconds, as the cursor carries them (a JavaScript Date).
    const at = `date_trunc('milliseconds', r.created_at)`;
    const qb = this.scoped(scope).orderBy(at, 'DESC').addOrderBy('r.id', 'DESC').limit(first + 1);
    if (filter.customerId) qb.andWhere('r.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    if (after) qb.andWhere(`(${at}, r.id) < (:afterAt::timestamptz, :afterId::uuid)`, { afterAt: after.createdAt, afterId: UUID.test(after.id) ? after.id : '00000000-0000-0000-0000-000000000000' });
    return qb.getMany();
  }

  // The newest `perCustomer` reports of each customer, in one query.
  async newestOf(scope: TenantScope, customerIds: readonly string[], perCustomer: number): Promise<ReportEntity[]> {
    const valid = customerIds.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.scoped(scope)
      .andWhere(
        `r.id IN (SELECT ranked.id FROM (
           SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC, id DESC) AS n
           FROM reporting.report WHERE customer_id = ANY(:customerIds)) ranked WHERE ranked.n <= :perCustomer)`,
        { customerIds: valid, perCustomer },
      )
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC');
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<ReportEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    return this.scoped(scope).andWhere('r.id IN (:...ids)', { ids: valid }).getMany();
  }

  // Unscoped: for a download whose signed URL already names the tenant (checked by the caller).
  async byId(id: string): Promise<ReportEntity | null> {
    if (!UUID.test(id)) return null;
    return this.ds.getRepository(ReportEntity).findOneBy({ id });
  }

  // The next version number of a document; serialised per document for the transaction.
  async nextVersion(em: EntityManager, kind: ReportKindValue, subjectRef: string): Promise<number> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('reporting.report'), hashtext($1))`, [`${kind}:${subjectRef}`]);
    const [row]: { v: number }[] = await em.query(`SELECT COALESCE(MAX(version), 0) + 1 AS v FROM reporting.report WHERE kind = $1 AND subject_ref = $2`, [kind, subjectRef]);
    return Number(row.v);
  }

  async insert(em: EntityManager, r: NewReport): Promise<ReportEntity> {
    const { keyOf, ...fields } = r;
    const id = randomUUID();
    const repo = em.getRepository(ReportEntity);
    await repo.insert({ ...fields, id, storageKey: keyOf(id) } as QueryDeepPartialEntity<ReportEntity>);
    return repo.findOneByOrFail({ id });
  }

  // Reports the scope may see: a customer its own; a partner its customers' and its own
  // (invoices to the partner); provider staff everything.
  private scoped(scope: TenantScope): SelectQueryBuilder<ReportEntity> {
    const qb = this.ds.getRepository(ReportEntity).createQueryBuilder('r');
    if (scope.kind !== 'partner') return this.directory.applyScope(qb, scope, 'r.customer_id');
    return qb.andWhere(
      new Brackets((w) => {
        w.where('r.owner_partner_id = :ownerPartnerId', { ownerPartnerId: scope.partnerId });
        w.orWhere('r.customer_id IN (SELECT customer_id FROM reporting.tenant_customer WHERE partner_id = :ownerPartnerId)');
      }),
    );
  }
}
