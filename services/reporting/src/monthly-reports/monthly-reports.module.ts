import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { RenderFailuresModule } from '../render-failures/render-failures.module';
import { RenderingModule } from '../rendering/rendering.module';
import { ReportDataModule } from '../report-data/report-data.module';
import { ReportsModule } from '../reports/reports.module';
import { StorageModule } from '../storage/storage.module';
import { MonthlyReportScheduler } from './monthly-report-scheduler';
import { MonthlyReportsRepository } from './monthly-reports.repository';
import { MonthlyReportsResolver } from './monthly-reports.resolver';
import { MonthlyReportsService } from './monthly-reports.service';

@Module({
  imports: [ReportDataModule, ReportsModule, RenderingModule, RenderFailuresModule, StorageModule, DeliveryModule],
  providers: [MonthlyReportsRepository, MonthlyReportsService, MonthlyReportScheduler, MonthlyReportsResolver],
  exports: [MonthlyReportsService, MonthlyReportScheduler],
})
export class MonthlyReportsModule {}
