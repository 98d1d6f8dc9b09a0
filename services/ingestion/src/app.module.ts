import { DynamicModule, Module } from '@nestjs/common';
import { INGESTION_CUSTOMER_DATA } from './customer-data.catalogue';
import { CustomerRef } from '@kanshi/events';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { AlertsModule } from './alerts/alerts.module';
import { IngestionConfig } from './config';
import { EntitlementsModule } from './entitlements/entitlements.module';
import { IntakeModule } from './intake/intake.module';
import { LivenessModule } from './liveness/liveness.module';
import { PulledModule } from './pulled/pulled.module';
import { QuarantineModule } from './quarantine/quarantine.module';
import { RawEventsModule } from './raw-events/raw-events.module';
import { SensorEntity } from './sensors/sensor.entity';
import { SensorsModule } from './sensors/sensors.module';

export const ENTITIES = [SensorEntity];

@Module({})
export class AppModule {
  static forRoot(config: IngestionConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'ingestion', schema: 'ingestion', config, entities: ENTITIES, publishes: ['INGESTION', 'INGESTION_LOGS'], customerData: INGESTION_CUSTOMER_DATA, ...opts }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [CustomerRef] }),
        EntitlementsModule,
        SensorsModule,
        LivenessModule,
        IntakeModule,
        AlertsModule,
        RawEventsModule,
        QuarantineModule,
        PulledModule,
      ],
    };
  }
}
