import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { RenderFailuresModule } from '../render-failures/render-failures.module';
import { RenderingModule } from '../rendering/rendering.module';
import { ReportDataModule } from '../report-data/report-data.module';
import { ReportsModule } from '../reports/reports.module';
import { StorageModule } from '../storage/storage.module';
import { AnalysisReportsConsumer } from './analysis-reports.consumer';
import { AnalysisReportsRepository } from './analysis-reports.repository';
import { AnalysisReportsResolver } from './analysis-reports.resolver';
import { AnalysisReportsService } from './analysis-reports.service';

@Module({
  imports: [ReportDataModule, ReportsModule, RenderingModule, RenderFailuresModule, StorageModule, DeliveryModule],
  providers: [AnalysisReportsRepository, AnalysisReportsService, AnalysisReportsResolver, AnalysisReportsConsumer],
  exports: [AnalysisReportsService],
})
export class AnalysisReportsModule {}
