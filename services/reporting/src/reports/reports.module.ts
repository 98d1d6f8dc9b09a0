import { Module } from '@nestjs/common';
import { ReportsRepository } from './reports.repository';
import { CustomerReportsResolver, ReportsResolver } from './reports.resolver';

@Module({ providers: [ReportsRepository, ReportsResolver, CustomerReportsResolver] })
export class ReportsModule {}
