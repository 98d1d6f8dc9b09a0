import { Module } from '@nestjs/common';
import { RenderFailuresModule } from '../render-failures/render-failures.module';
import { RenderingModule } from '../rendering/rendering.module';
import { ReportsModule } from '../reports/reports.module';
import { BillingDocumentsConsumer } from './billing-documents.consumer';
import { BillingDocumentsRepository } from './billing-documents.repository';
import { BillingDocumentsService } from './billing-documents.service';

@Module({
  imports: [RenderingModule, ReportsModule, RenderFailuresModule],
  providers: [BillingDocumentsRepository, BillingDocumentsService, BillingDocumentsConsumer],
  exports: [BillingDocumentsService],
})
export class BillingDocumentsModule {}
