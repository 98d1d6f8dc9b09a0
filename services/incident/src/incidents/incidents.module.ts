import { Module } from '@nestjs/common';
import { IncidentsRepository } from './incidents.repository';
import { CustomerIncidentsResolver, IncidentsResolver } from './incidents.resolver';
import { IncidentsService } from './incidents.service';

@Module({ providers: [IncidentsRepository, IncidentsService, IncidentsResolver, CustomerIncidentsResolver], exports: [IncidentsService] })
export class IncidentsModule {}
