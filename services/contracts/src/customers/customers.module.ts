import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { CustomersRepository } from './customers.repository';
import { CustomersResolver, PartnersResolver } from './customers.resolver';
import { CustomersService } from './customers.service';

@Module({ imports: [CatalogueModule], providers: [CustomersRepository, CustomersService, CustomersResolver, PartnersResolver], exports: [CustomersService, CustomersRepository] })
export class CustomersModule {}
