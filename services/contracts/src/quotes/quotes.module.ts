import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { DocumentNumbersRepository } from '../common/document-numbers.repository';
import { CustomersModule } from '../customers/customers.module';
import { QuotesRepository } from './quotes.repository';
import { QuotesResolver } from './quotes.resolver';
import { QuotesService } from './quotes.service';

@Module({ imports: [CustomersModule, CatalogueModule], providers: [QuotesRepository, QuotesService, QuotesResolver, DocumentNumbersRepository], exports: [QuotesService] })
export class QuotesModule {}
