import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { SensorEntity } from './sensor.entity';

@Injectable()
export class SensorsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  async findVisible(scope: TenantScope, customerIds?: readonly string[]): Promise<SensorEntity[]> {
    const qb = this.ds.getRepository(SensorEntity).createQueryBuilder('s').orderBy('s.created_at').addOrderBy('s.id');
    this.directory.applyScope(qb, scope, 's.customer_id');
    if (customerIds) qb.andWhere('s.customer_id IN (:...customerIds)', { customerIds: customerIds.length ? [...customerIds] : ['00000000-0000-0000-0000-000000000000'] });
    return qb.getMany();
  }

  insert(em: EntityManager, values: Partial<SensorEntity>): Promise<SensorEntity> {
    const repo = em.getRepository(SensorEntity);
    return repo.save(repo.create(values));
  }
}
