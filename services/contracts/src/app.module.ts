import { DynamicModule, Module } from '@nestjs/common';
import { CONTRACTS_CUSTOMER_DATA } from './customer-data.catalogue';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { AuditModule } from './audit/audit.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { CatalogueOptionEntity, PlanEntity } from './catalogue/plan.entity';
import { ReportRef } from './common/report-ref.object';
import { ContractsConfig } from './config';
import { ContractsCoreModule, ContractsModuleOptions } from './contracts-core.module';
import { ContractEntity, CustomerSensorEntity } from './contracts/contract.entity';
import { ContractsModule } from './contracts/contracts.module';
import { CustomerEntity } from './customers/customer.entity';
import { CustomersModule } from './customers/customers.module';
import { PartnerEntity } from './customers/partner.entity';
import { BillingRunEntity, InvoiceEntity, InvoiceLineEntity } from './invoices/invoice.entity';
import { InvoicesModule } from './invoices/invoices.module';
import { QuoteEntity } from './quotes/quote.entity';
import { QuotesModule } from './quotes/quotes.module';
import { StripeSyncModule } from './stripe-sync/stripe-sync.module';
import { TermsAcceptanceEntity, TermsVersionEntity } from './terms/terms.entity';
import { TermsModule } from './terms/terms.module';

export const ENTITIES = [
  PartnerEntity,
  CustomerEntity,
  PlanEntity,
  CatalogueOptionEntity,
  TermsVersionEntity,
  TermsAcceptanceEntity,
  QuoteEntity,
  ContractEntity,
  CustomerSensorEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  BillingRunEntity,
];

export interface ContractsAppOptions extends ContractsModuleOptions {
  startMessaging?: boolean;
  schemaOnly?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(config: ContractsConfig, opts: ContractsAppOptions = {}): DynamicModule {
    const { clock, startWorkers, ...platform } = opts;
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'contracts', schema: 'contracts', config, entities: ENTITIES, publishes: ['CONTRACTS'], customerData: CONTRACTS_CUSTOMER_DATA, ...platform }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [ReportRef] }),
        ContractsCoreModule.forRoot(config, { clock, startWorkers: startWorkers ?? (platform.startMessaging !== false && !platform.schemaOnly) }),
        CustomersModule,
        CatalogueModule,
        TermsModule,
        QuotesModule,
        ContractsModule,
        InvoicesModule,
        StripeSyncModule,
        AuditModule,
      ],
    };
  }
}
