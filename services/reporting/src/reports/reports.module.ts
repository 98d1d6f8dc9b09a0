import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { ReportStore } from './report-store';
import { ReportsRepository } from './reports.repository';
import { CustomerReportsResolver, ReportsResolver } from './reports.resolver';
import { ReportsService } from './reports.service';

@Module({
  imports: [StorageModule],
  providers: [ReportsRepository, ReportsService, ReportStore, ReportsResolver, CustomerReportsResolver],
  exports: [ReportsService, ReportStore],
})
export class ReportsModule {}
