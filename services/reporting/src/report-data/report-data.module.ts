import { Module } from '@nestjs/common';
import { ReportDataConsumer } from './report-data.consumer';
import { ReportDataRepository } from './report-data.repository';
import { ReportFactsRepository } from './report-facts.repository';

// Reporting's read models of other services' facts, kept from their events; the report modules read them.
@Module({ providers: [ReportDataRepository, ReportFactsRepository, ReportDataConsumer], exports: [ReportFactsRepository] })
export class ReportDataModule {}
