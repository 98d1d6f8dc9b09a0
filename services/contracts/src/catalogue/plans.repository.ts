import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PlanEntity } from './plan.entity';

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
}
