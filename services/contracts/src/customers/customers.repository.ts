import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { CustomerEntity } from './customer.entity';
import { PartnerEntity } from './partner.entity';

@Injectable()
export class CustomersRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  // Customers the scope may see, optionally narrowed to one partner.
  findVisible(scope: TenantScope, partnerId?: string): Promise<CustomerEntity[]> {
    const qb = this.ds.getRepository(CustomerEntity).createQueryBuilder('c').orderBy('c.name').addOrderBy('c.id');
    this.directory.applyScope(qb, scope, 'c.id');
    if (partnerId) qb.andWhere('c.partner_id = :narrow', { narrow: partnerId });
    return qb.getMany();
  }

  async findByIds(ids: readonly string[]): Promise<CustomerEntity[]> {
    return ids.length ? this.ds.getRepository(CustomerEntity).findBy({ id: In([...ids]) }) : [];
  }

  findByIdsWith(em: EntityManager, ids: readonly string[]): Promise<CustomerEntity[]> {
    return ids.length ? em.getRepository(CustomerEntity).findBy({ id: In([...ids]) }) : Promise.resolve([]);
  }

  findPartners(scope: TenantScope): Promise<PartnerEntity[]> {
    if (scope.kind === 'customer') return Promise.resolve([]);
    const where = scope.kind === 'partner' ? { id: scope.partnerId } : {};
    return this.ds.getRepository(PartnerEntity).find({ where, order: { name: 'ASC' } });
  }

  async findPartnersByIds(ids: readonly string[]): Promise<PartnerEntity[]> {
    return ids.length ? this.ds.getRepository(PartnerEntity).findBy({ id: In([...ids]) }) : [];
  }

  partnerExists(em: EntityManager, id: string): Promise<boolean> {
    return em.getRepository(PartnerEntity).existsBy({ id });
  }

  insertCustomer(em: EntityManager, values: Partial<CustomerEntity>): Promise<CustomerEntity> {
    return em.getRepository(CustomerEntity).save(em.getRepository(CustomerEntity).create(values));
  }

  partnerForUpdate(em: EntityManager, id: string): Promise<PartnerEntity | null> {
    return em.getRepository(PartnerEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  savePartner(em: EntityManager, partner: PartnerEntity): Promise<PartnerEntity> {
    return em.getRepository(PartnerEntity).save(partner);
  }

  insertPartner(em: EntityManager, values: Partial<PartnerEntity>): Promise<PartnerEntity> {
    return em.getRepository(PartnerEntity).save(em.getRepository(PartnerEntity).create(values));
  }
}
