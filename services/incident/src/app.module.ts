import { DynamicModule, Module } from '@nestjs/common';
import { CustomerRef } from '@kanshi/events';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { IncidentConfig } from './config';
import { IncidentEntity } from './incidents/incident.entity';
import { IncidentsModule } from './incidents/incidents.module';
import { CallTaskEntity } from './notifications/call-task.entity';
import { NotificationEntity } from './notifications/notification.entity';
import { WebhookDeliveryEntity } from './webhooks/webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhooks/webhook-subscription.entity';
import { WebhooksModule } from './webhooks/webhooks.module';

export const ENTITIES = [IncidentEntity, NotificationEntity, CallTaskEntity, WebhookSubscriptionEntity, WebhookDeliveryEntity];

@Module({})
export class AppModule {
  static forRoot(config: IncidentConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'incident', schema: 'incident', config, entities: ENTITIES, publishes: ['INCIDENT'], ...opts }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [CustomerRef] }),
        IncidentsModule,
        WebhooksModule,
      ],
    };
  }
}
