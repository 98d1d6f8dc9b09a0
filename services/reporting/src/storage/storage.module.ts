import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { ReportingConfig } from '../config';
import { PdfStorage } from './pdf-storage';
import { PostgresPdfStorage } from './postgres-pdf-storage';
import { S3Client } from './s3-client';
import { S3PdfStorage } from './s3-pdf-storage';

// PDF bytes in PostgreSQL (REPORT_STORAGE=postgres, the default) or an S3-compatible store
// (REPORT_STORAGE=s3; loadConfig has checked that the REPORT_S3_* settings are there).
@Module({
  providers: [
    {
      provide: PdfStorage,
      inject: [PLATFORM_CONFIG, DataSource],
      useFactory: (c: ReportingConfig, ds: DataSource): PdfStorage => {
        if (c.REPORT_STORAGE !== 's3') return new PostgresPdfStorage(ds);
        return new S3PdfStorage(
          new S3Client({
            endpoint: c.REPORT_S3_ENDPOINT!,
            region: c.REPORT_S3_REGION,
            bucket: c.REPORT_S3_BUCKET!,
            accessKeyId: c.REPORT_S3_ACCESS_KEY_ID!,
            secretAccessKey: c.REPORT_S3_SECRET_ACCESS_KEY!,
            pathStyle: c.REPORT_S3_PATH_STYLE,
            timeoutMs: c.REPORT_S3_TIMEOUT_MS,
          }),
          new PostgresPdfStorage(ds),
        );
      },
    },
  ],
  exports: [PdfStorage],
})
export class StorageModule {}
