import { DynamicModule, Module } from '@nestjs/common';
import { REPORTING_CUSTOMER_DATA } from './customer-data.catalogue';
import { Clock } from '@kanshi/calendar';
import { CustomerRef } from '@kanshi/events';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { AnalysisReportsModule } from './analysis-reports/analysis-reports.module';
import { ClockModule } from './common/clock.module';
import { ReportingConfig } from './config';
import { MonthlyReportsModule } from './monthly-reports/monthly-reports.module';
import { ReportEntity } from './reports/report.entity';
import { BillingDocumentsModule } from './billing-documents/billing-documents.module';
import { DownloadsModule } from './downloads/downloads.module';
import { RenderFailuresModule } from './render-failures/render-failures.module';
import { RenderingModule } from './rendering/rendering.module';
import { ReportDataModule } from './report-data/report-data.module';
import { ReportsModule } from './reports/reports.module';

export const ENTITIES = [ReportEntity];

@Module({})
export class AppModule {
  // `clock`: what "now" is (tests pass a ManualClock); the system clock by default.
  static forRoot(config: ReportingConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean; clock?: Clock } = {}): DynamicModule {
    const { clock, ...platform } = opts;
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'reporting', schema: 'reporting', config, entities: ENTITIES, publishes: ['REPORTING'], customerData: REPORTING_CUSTOMER_DATA, ...platform }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [CustomerRef] }),
        ClockModule.forRoot(clock),
        RenderingModule,
        RenderFailuresModule,
        ReportsModule,
        ReportDataModule,
        AnalysisReportsModule,
        MonthlyReportsModule,
        BillingDocumentsModule,
        ...(opts.schemaOnly ? [] : [DownloadsModule]),
      ],
    };
  }
}
