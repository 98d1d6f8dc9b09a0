import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { DownloadUrlSigner } from './download-url-signer';
import { ReportDownloads } from './report-downloads';
import { ReportStore } from './report-store';
import { ReportsRepository } from './reports.repository';
import { CustomerReportsResolver, ReportsResolver } from './reports.resolver';
import { ReportsService } from './reports.service';

@Module({
  imports: [StorageModule],
  providers: [ReportsRepository, ReportsService, ReportStore, DownloadUrlSigner, ReportDownloads, ReportsResolver, CustomerReportsResolver],
  exports: [ReportsService, ReportStore, ReportDownloads, DownloadUrlSigner],
})
export class ReportsModule {}
