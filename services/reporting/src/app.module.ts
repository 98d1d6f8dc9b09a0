import { DynamicModule, Module } from '@nestjs/common';
import { CustomerRef } from '@kanshi/events';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { ReportingConfig } from './config';
import { ReportEntity } from './reports/report.entity';
import { BillingDocumentsModule } from './billing-documents/billing-documents.module';
import { DownloadsModule } from './downloads/downloads.module';
import { RenderFailuresModule } from './render-failures/render-failures.module';
import { RenderingModule } from './rendering/rendering.module';
import { ReportsModule } from './reports/reports.module';

export const ENTITIES = [ReportEntity];

@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'reporting', schema: 'reporting', config, entities: ENTITIES, publishes: ['REPORTING'], ...opts }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [CustomerRef] }),
        RenderingModule,
        RenderFailuresModule,
        ReportsModule,
        BillingDocumentsModule,
        ...(opts.schemaOnly ? [] : [DownloadsModule]),
      ],
    };
  }
}
