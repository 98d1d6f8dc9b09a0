import { Module } from '@nestjs/common';
import { ReportsRepository } from './reports.repository';
import { CustomerReportsResolver, ReportsResolver } from './reports.resolver';
import { ReportsService } from './reports.service';

@Module({ providers: [ReportsRepository, ReportsService, ReportsResolver, CustomerReportsResolver], exports: [ReportsService] })
export class ReportsModule {}
