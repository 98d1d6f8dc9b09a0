import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
    hidePartnerDeals(qb, scope);
    if (customerId !== undefined) qb.andWhere('q.customer_id = :customerId', { customerId: isUuid(customerId) ? customerId : null });
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<QuoteEntity[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const qb = this.ds.getRepository(QuoteEntity).createQueryBuilder('q').where('q.id IN (:...ids)', { ids: valid });
    return hidePartnerDeals(this.directory.applyScope(qb, scope, 'q.customer_id'), scope).getMany();
  }

  // Locks the quote for a state change; null when missing or not visible to the scope.
  async forUpdate(em: EntityManager, scope: TenantScope, id: string): Promise<QuoteEntity | null> {
    if (!isUuid(id)) return null;
    const qb = em.getRepository(QuoteEntity).createQueryBuilder('q').where('q.id = :id', { id }).setLock('pessimistic_write', undefined, ['q']);
    return hidePartnerDeals(this.directory.applyScope(qb, scope, 'q.customer_id'), scope).getOne();
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

// A partner's quote for its customer is the partner's purchase, priced at the partner's wholesale
// prices or discount: the partner's customer does not see it (it pays what the partner charges).
function hidePartnerDeals<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, scope: TenantScope): SelectQueryBuilder<T> {
  if (scope.kind !== 'customer') return qb;
  return qb.andWhere('NOT EXISTS (SELECT 1 FROM contracts.customer hc WHERE hc.id = q.customer_id AND hc.partner_id IS NOT NULL)');
}
