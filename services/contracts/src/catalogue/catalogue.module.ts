import { Module } from '@nestjs/common';
import { CatalogueService } from './catalogue.service';
import { PlansRepository } from './plans.repository';
import { PlansResolver } from './plans.resolver';

@Module({ providers: [PlansRepository, CatalogueService, PlansResolver], exports: [CatalogueService] })
export class CatalogueModule {}
