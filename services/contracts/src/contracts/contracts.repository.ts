import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { isUuid } from '../common/ids';
import { ContractEntity, CustomerSensorEntity } from './contract.entity';

@Injectable()
export class ContractsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  list(scope: TenantScope, customerId?: string): Promise<ContractEntity[]> {
    const qb = this.ds.getRepository(ContractEntity).createQueryBuilder('c').orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC');
    this.directory.applyScope(qb, scope, 'c.customer_id');
    if (customerId !== undefined) qb.andWhere('c.customer_id = :customerId', { customerId: isUuid(customerId) ? customerId : null });
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<ContractEntity[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const qb = this.ds.getRepository(ContractEntity).createQueryBuilder('c').where('c.id IN (:...ids)', { ids: valid });
    return this.directory.applyScope(qb, scope, 'c.customer_id').getMany();
  }

  async forUpdate(em: EntityManager, scope: TenantScope, id: string): Promise<ContractEntity | null> {
    if (!isUuid(id)) return null;
    const qb = em.getRepository(ContractEntity).createQueryBuilder('c').where('c.id = :id', { id }).setLock('pessimistic_write', undefined, ['c']);
    return this.directory.applyScope(qb, scope, 'c.customer_id').getOne();
  }

  insert(em: EntityManager, values: Partial<ContractEntity>): Promise<ContractEntity> {
    return em.getRepository(ContractEntity).save(em.getRepository(ContractEntity).create(values));
  }

  save(em: EntityManager, contract: ContractEntity): Promise<ContractEntity> {
    return em.getRepository(ContractEntity).save(contract);
  }

  async sensorsOf(customerIds: readonly string[], em: EntityManager = this.ds.manager): Promise<CustomerSensorEntity[]> {
    if (!customerIds.length) return [];
    return em.getRepository(CustomerSensorEntity).find({ where: { customerId: In([...customerIds]) }, order: { registeredAt: 'ASC', sensorId: 'ASC' } });
  }

  // Sensor events may arrive in either order (they are consumed separately): each fills its part.
  async sensorRegistered(em: EntityManager, s: { sensorId: string; customerId: string; product: string; name: string; at: string }): Promise<void> {
    await em.query(
      `INSERT INTO contracts.customer_sensor (sensor_id, customer_id, product, name, registered_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sensor_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, product = EXCLUDED.product, name = EXCLUDED.name,
         registered_at = LEAST(contracts.customer_sensor.registered_at, EXCLUDED.registered_at), updated_at = now()`,
      [s.sensorId, s.customerId, s.product, s.name, s.at],
    );
  }

  async sensorFirstEvent(em: EntityManager, s: { sensorId: string; customerId: string; at: string }): Promise<void> {
    await em.query(
      `INSERT INTO contracts.customer_sensor (sensor_id, customer_id, first_event_at) VALUES ($1, $2, $3)
       ON CONFLICT (sensor_id) DO UPDATE SET first_event_at = LEAST(contracts.customer_sensor.first_event_at, EXCLUDED.first_event_at), updated_at = now()`,
      [s.sensorId, s.customerId, s.at],
    );
  }
}
