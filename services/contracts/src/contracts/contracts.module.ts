import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { CustomersModule } from '../customers/customers.module';
import { QuotesModule } from '../quotes/quotes.module';
import { TermsModule } from '../terms/terms.module';
import { ContractsRepository } from './contracts.repository';
import { ContractsResolver, CustomerContractsResolver } from './contracts.resolver';
import { ContractsService } from './contracts.service';
import { OnboardingConsumer } from './onboarding.consumer';

@Module({
  imports: [CustomersModule, CatalogueModule, QuotesModule, TermsModule],
  providers: [ContractsRepository, ContractsService, ContractsResolver, CustomerContractsResolver, OnboardingConsumer],
  exports: [ContractsService],
})
export class ContractsModule {}
