import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PlanCode } from '@kanshi/events';
import { CatalogueOptionEntity, PlanEntity } from './plan.entity';

@Injectable()
export class PlansRepository {
  constructor(private readonly ds: DataSource) {}

  // The catalogue in force at `at`: for each plan, its latest version already effective.
  current(at = new Date()): Promise<PlanEntity[]> {
    return this.ds
      .getRepository(PlanEntity)
      .createQueryBuilder('p')
      .distinctOn(['p.code'])
      .where('p.effective_from <= :at', { at })
      .orderBy('p.code')
      .addOrderBy('p.version', 'DESC')
      .getMany();
  }

  currentOptions(at = new Date()): Promise<CatalogueOptionEntity[]> {
    return this.ds
      .getRepository(CatalogueOptionEntity)
      .createQueryBuilder('o')
      .distinctOn(['o.code'])
      .where('o.effective_from <= :at', { at })
      .orderBy('o.code')
      .addOrderBy('o.version', 'DESC')
      .getMany();
  }

  // Every version of every plan and option: the whole versioned catalogue.
  async all(em: EntityManager = this.ds.manager): Promise<{ plans: PlanEntity[]; options: CatalogueOptionEntity[] }> {
    const [plans, options] = await Promise.all([
      em.getRepository(PlanEntity).find({ order: { code: 'ASC', version: 'ASC' } }),
      em.getRepository(CatalogueOptionEntity).find({ order: { code: 'ASC', version: 'ASC' } }),
    ]);
    return { plans, options };
  }

  versionsOf(code: PlanCode): Promise<PlanEntity[]> {
    return this.ds.getRepository(PlanEntity).find({ where: { code }, order: { version: 'DESC' } });
  }

  // Serialises catalogue edits, so two admins cannot both create version N+1.
  async lockCatalogue(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('contracts.catalogue'))`);
  }

  insertPlan(em: EntityManager, values: PlanEntity): Promise<PlanEntity> {
    return em.getRepository(PlanEntity).save(em.getRepository(PlanEntity).create(values));
  }

  insertOption(em: EntityManager, values: CatalogueOptionEntity): Promise<CatalogueOptionEntity> {
    return em.getRepository(CatalogueOptionEntity).save(em.getRepository(CatalogueOptionEntity).create(values));
  }
}
