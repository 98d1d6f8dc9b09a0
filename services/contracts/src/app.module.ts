import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { CatalogueModule } from './catalogue/catalogue.module';
import { PlanEntity } from './catalogue/plan.entity';
import { ContractsConfig } from './config';
import { CustomerEntity } from './customers/customer.entity';
import { CustomersModule } from './customers/customers.module';
import { PartnerEntity } from './customers/partner.entity';

export const ENTITIES = [PartnerEntity, CustomerEntity, PlanEntity];

@Module({})
export class AppModule {
  static forRoot(config: ContractsConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'contracts', schema: 'contracts', config, entities: ENTITIES, publishes: ['CONTRACTS'], ...opts }),
        subgraphModule({ production: config.NODE_ENV === 'production' }),
        CustomersModule,
        CatalogueModule,
      ],
    };
  }
}
