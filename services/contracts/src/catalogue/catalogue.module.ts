import { Module } from '@nestjs/common';
import { PlansRepository } from './plans.repository';
import { PlansResolver } from './plans.resolver';

@Module({ providers: [PlansRepository, PlansResolver], exports: [PlansRepository] })
export class CatalogueModule {}
