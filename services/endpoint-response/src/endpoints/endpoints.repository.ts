import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { EndpointEntity } from './endpoint.entity';

@Injectable()
export class EndpointsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  findVisible(scope: TenantScope, customerIds?: readonly string[]): Promise<EndpointEntity[]> {
    const qb = this.ds.getRepository(EndpointEntity).createQueryBuilder('e').orderBy('e.host_name').addOrderBy('e.id');
    this.directory.applyScope(qb, scope, 'e.customer_id');
    if (customerIds) qb.andWhere('e.customer_id = ANY(:customerIds)', { customerIds: [...customerIds] });
    return qb.getMany();
  }

  agentTaken(em: EntityManager, edrProduct: string, edrAgentId: string): Promise<boolean> {
    return em.getRepository(EndpointEntity).existsBy({ edrProduct, edrAgentId });
  }

  insert(em: EntityManager, values: Partial<EndpointEntity>): Promise<EndpointEntity> {
    const repo = em.getRepository(EndpointEntity);
    return repo.save(repo.create(values));
  }
}
