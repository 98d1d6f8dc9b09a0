import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DetectionRuleEntity } from './detection-rule.entity';

@Injectable()
export class RulesRepository {
  constructor(private readonly ds: DataSource) {}

  list(): Promise<DetectionRuleEntity[]> {
    return this.ds.getRepository(DetectionRuleEntity).find({ order: { name: 'ASC', id: 'ASC' } });
  }

  insert(values: Partial<DetectionRuleEntity>): Promise<DetectionRuleEntity> {
    const repo = this.ds.getRepository(DetectionRuleEntity);
    return repo.save(repo.create(values));
  }
}
