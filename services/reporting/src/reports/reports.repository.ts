import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { TenantDirectory } from '@kanshi/platform';
import { ReportEntity } from './report.entity';

@Injectable()
export class ReportsRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: TenantDirectory,
  ) {}

  findVisible(scope: TenantScope, filter: { customerIds?: readonly string[]; kind?: string }): Promise<ReportEntity[]> {
    const qb = this.ds.getRepository(ReportEntity).createQueryBuilder('r').orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').limit(500);
    this.directory.applyScope(qb, scope, 'r.customer_id');
    if (filter.customerIds) qb.andWhere('r.customer_id = ANY(:customerIds)', { customerIds: [...filter.customerIds] });
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    return qb.getMany();
  }
}
