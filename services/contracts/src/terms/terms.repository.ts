import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { CalendarDate } from '@kanshi/calendar';
import { TermsAcceptanceEntity, TermsVersionEntity } from './terms.entity';

@Injectable()
export class TermsRepository {
  constructor(private readonly ds: DataSource) {}

  all(): Promise<TermsVersionEntity[]> {
    return this.ds.getRepository(TermsVersionEntity).find({ order: { effectiveDate: 'DESC', publishedAt: 'DESC' } });
  }

  find(em: EntityManager, version: string): Promise<TermsVersionEntity | null> {
    return em.getRepository(TermsVersionEntity).findOneBy({ version });
  }

  // The version in force on `day`: the latest one already effective.
  current(em: EntityManager, day: CalendarDate): Promise<TermsVersionEntity | null> {
    return em
      .getRepository(TermsVersionEntity)
      .createQueryBuilder('t')
      .where('t.effective_date <= :day', { day })
      .orderBy('t.effective_date', 'DESC')
      .addOrderBy('t.published_at', 'DESC')
      .getOne();
  }

  latestEffectiveDate(em: EntityManager): Promise<string | null> {
    return em
      .getRepository(TermsVersionEntity)
      .createQueryBuilder('t')
      .select('max(t.effective_date)::text', 'max')
      .getRawOne<{ max: string | null }>()
      .then((r) => r?.max ?? null);
  }

  async lock(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('contracts.terms'))`);
  }

  insertVersion(em: EntityManager, values: Partial<TermsVersionEntity>): Promise<TermsVersionEntity> {
    return em.getRepository(TermsVersionEntity).save(em.getRepository(TermsVersionEntity).create(values));
  }

  insertAcceptance(em: EntityManager, values: Partial<TermsAcceptanceEntity>): Promise<TermsAcceptanceEntity> {
    return em.getRepository(TermsAcceptanceEntity).save(em.getRepository(TermsAcceptanceEntity).create(values));
  }

  acceptanceExists(em: EntityManager, contractId: string, version: string): Promise<boolean> {
    return em.getRepository(TermsAcceptanceEntity).existsBy({ contractId, termsVersion: version });
  }

  async acceptancesOf(contractIds: readonly string[]): Promise<TermsAcceptanceEntity[]> {
    if (!contractIds.length) return [];
    return this.ds.getRepository(TermsAcceptanceEntity).find({ where: { contractId: In([...contractIds]) }, order: { acceptedAt: 'ASC' } });
  }
}
