import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { EdrProductValue } from './edr-products';
import { EndpointEntity } from './endpoint.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class EndpointsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // A malformed customer id matches nothing (and never reaches PostgreSQL as a bad uuid).
  async findVisible(scope: TenantScope, customerIds?: readonly string[]): Promise<EndpointEntity[]> {
    const valid = customerIds?.filter((id) => UUID.test(id));
    if (valid && !valid.length) return [];
    const qb = this.ds.getRepository(EndpointEntity).createQueryBuilder('e').orderBy('e.host_name').addOrderBy('e.id');
    this.directory.applyScope(qb, scope, 'e.customer_id');
    if (valid) qb.andWhere('e.customer_id = ANY(:customerIds)', { customerIds: valid });
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<EndpointEntity[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const qb = this.ds.getRepository(EndpointEntity).createQueryBuilder('e').where('e.id IN (:...ids)', { ids: valid });
    this.directory.applyScope(qb, scope, 'e.customer_id');
    return qb.getMany();
  }

  agentTaken(em: EntityManager, edrProduct: EdrProductValue, edrAgentId: string): Promise<boolean> {
    return em.getRepository(EndpointEntity).existsBy({ edrProduct, edrAgentId });
  }

  insert(em: EntityManager, values: Partial<EndpointEntity>): Promise<EndpointEntity> {
    const repo = em.getRepository(EndpointEntity);
    return repo.save(repo.create(values));
  }
}
