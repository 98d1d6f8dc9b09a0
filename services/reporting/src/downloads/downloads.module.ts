import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { DownloadServer } from './download-server';

// The signed-URL download server on PUBLIC_PORT.
@Module({ imports: [ReportsModule], providers: [DownloadServer], exports: [DownloadServer] })
export class DownloadsModule {}
