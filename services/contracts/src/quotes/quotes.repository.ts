import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { isUuid } from '../common/ids';
import { QuoteEntity } from './quote.entity';

@Injectable()
export class QuotesRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  list(scope: TenantScope, customerId?: string): Promise<QuoteEntity[]> {
    const qb = this.ds.getRepository(QuoteEntity).createQueryBuilder('q').orderBy('q.created_at', 'DESC').addOrderBy('q.id', 'DESC');
    this.directory.applyScope(qb, scope, 'q.customer_id');
    if (customerId !== undefined) qb.andWhere('q.customer_id = :customerId', { customerId: isUuid(customerId) ? customerId : null });
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<QuoteEntity[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const qb = this.ds.getRepository(QuoteEntity).createQueryBuilder('q').where('q.id IN (:...ids)', { ids: valid });
    return this.directory.applyScope(qb, scope, 'q.customer_id').getMany();
  }

  // Locks the quote for a state change; null when missing or not visible to the scope.
  async forUpdate(em: EntityManager, scope: TenantScope, id: string): Promise<QuoteEntity | null> {
    if (!isUuid(id)) return null;
    const qb = em.getRepository(QuoteEntity).createQueryBuilder('q').where('q.id = :id', { id }).setLock('pessimistic_write', undefined, ['q']);
    return this.directory.applyScope(qb, scope, 'q.customer_id').getOne();
  }

  insert(em: EntityManager, values: Partial<QuoteEntity>): Promise<QuoteEntity> {
    return em.getRepository(QuoteEntity).save(em.getRepository(QuoteEntity).create(values));
  }

  save(em: EntityManager, quote: QuoteEntity): Promise<QuoteEntity> {
    return em.getRepository(QuoteEntity).save(quote);
  }

  async setPdf(em: EntityManager, quoteId: string, reportId: string): Promise<void> {
    await em.getRepository(QuoteEntity).update({ id: quoteId }, { pdfReportId: reportId });
  }
}
