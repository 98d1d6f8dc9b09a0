import { DynamicModule, Module } from '@nestjs/common';
import { ENDPOINT_RESPONSE_CUSTOMER_DATA } from './customer-data.catalogue';
import { CustomerRef } from '@kanshi/events';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { EndpointResponseConfig } from './config';
import { ConnectorsModule } from './connectors/connectors.module';
import { EdrConnectorEntity } from './connectors/edr-connector.entity';
import { DetectionsModule } from './detections/detections.module';
import { EdrConnectorFactory } from './connectors/edr-connector.factory';
import { EndpointEntity } from './endpoints/endpoint.entity';
import { EndpointsModule } from './endpoints/endpoints.module';
import { InventoryModule } from './inventory/inventory.module';
import { IsolationLogEntity } from './isolations/isolation-log.entity';
import { IsolationEntity } from './isolations/isolation.entity';
import { IsolationsModule } from './isolations/isolations.module';

export const ENTITIES = [EndpointEntity, EdrConnectorEntity, IsolationEntity, IsolationLogEntity];

@Module({})
export class AppModule {
  // `edrConnectors`: a test seam (a spec's own factory); by default the vendor adapters built from
  // the customers' stored credentials.
  static forRoot(config: EndpointResponseConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean; edrConnectors?: EdrConnectorFactory } = {}): DynamicModule {
    const { edrConnectors, ...platform } = opts;
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'endpoint-response', schema: 'endpoint_response', config, entities: ENTITIES, publishes: ['RESPONSE'], customerData: ENDPOINT_RESPONSE_CUSTOMER_DATA, ...platform }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [CustomerRef] }),
        ConnectorsModule.forRoot(edrConnectors),
        EndpointsModule,
        DetectionsModule,
        InventoryModule,
        IsolationsModule,
      ],
    };
  }
}
