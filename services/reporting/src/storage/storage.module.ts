import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { ReportingConfig } from '../config';
import { PdfStorage } from './pdf-storage';
import { PostgresPdfStorage } from './postgres-pdf-storage';

// PDF bytes in PostgreSQL (REPORT_STORAGE=postgres, the default) or an S3-compatible store.
@Module({
  providers: [
    {
      provide: PdfStorage,
      inject: [PLATFORM_CONFIG, DataSource],
      useFactory: (c: ReportingConfig, ds: DataSource): PdfStorage => {
        if (c.REPORT_STORAGE === 's3') throw new Error('REPORT_STORAGE=s3 is not available yet');
        return new PostgresPdfStorage(ds);
      },
    },
  ],
  exports: [PdfStorage],
})
export class StorageModule {}
