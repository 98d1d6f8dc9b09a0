import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { ReportsConsumer } from './reports.consumer';
import { ReportsRepository } from './reports.repository';
import { ReportsResolver } from './reports.resolver';
import { ReportsService } from './reports.service';

@Module({ imports: [IncidentsModule], providers: [ReportsRepository, ReportsService, ReportsConsumer, ReportsResolver] })
export class ReportsModule {}
