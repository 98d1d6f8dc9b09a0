import { DynamicModule, Module } from '@nestjs/common';
import { CustomerRef } from '@kanshi/events';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { EndpointResponseConfig } from './config';
import { ConnectorsModule } from './connectors/connectors.module';
import { EdrConnectorEntity } from './connectors/edr-connector.entity';
import { DetectionsModule } from './detections/detections.module';
import { EndpointEntity } from './endpoints/endpoint.entity';
import { EndpointsModule } from './endpoints/endpoints.module';

export const ENTITIES = [EndpointEntity, EdrConnectorEntity];

@Module({})
export class AppModule {
  static forRoot(config: EndpointResponseConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'endpoint-response', schema: 'endpoint_response', config, entities: ENTITIES, publishes: ['RESPONSE'], ...opts }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [CustomerRef] }),
        EndpointsModule,
        ConnectorsModule,
        DetectionsModule,
      ],
    };
  }
}
