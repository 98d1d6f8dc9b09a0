import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { decodeCursor, TenantDirectory } from '@kanshi/platform';
import { IncidentEntity } from './incident.entity';
import { IncidentFilter } from './incident-filter.input';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class IncidentsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // Newest first; keyset pagination on (created_at, id).
  page(scope: TenantScope, filter: IncidentFilter, limit: number, after?: string): Promise<IncidentEntity[]> {
    const qb = this.ds.getRepository(IncidentEntity).createQueryBuilder('i').orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'DESC').limit(limit);
    this.directory.applyScope(qb, scope, 'i.customer_id');
    if (filter.customerId) qb.andWhere('i.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.severity) qb.andWhere('i.severity = :severity', { severity: filter.severity });
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    if (filter.from) qb.andWhere('i.created_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('i.created_at < :to', { to: filter.to });
    if (after) {
      const c = decodeCursor(after);
      qb.andWhere('(i.created_at, i.id) < (:afterAt, :afterId)', { afterAt: c.sortKey, afterId: c.id });
    }
    return qb.getMany();
  }

  // A malformed id matches nothing (and never reaches PostgreSQL as a bad uuid).
  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<IncidentEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds.getRepository(IncidentEntity).createQueryBuilder('i').where('i.id IN (:...ids)', { ids: valid });
    this.directory.applyScope(qb, scope, 'i.customer_id');
    return qb.getMany();
  }

  insert(em: EntityManager, values: Partial<IncidentEntity>): Promise<IncidentEntity> {
    const repo = em.getRepository(IncidentEntity);
    return repo.save(repo.create(values));
  }
}
