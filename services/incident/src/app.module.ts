import { DynamicModule, Module } from '@nestjs/common';
import { INCIDENT_CUSTOMER_DATA } from './customer-data.catalogue';
import { Clock } from '@kanshi/calendar';
import { AlertRef, CustomerRef } from '@kanshi/events';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { IncidentConfig } from './config';
import { IncidentEntity } from './incidents/incident.entity';
import { IncidentsModule } from './incidents/incidents.module';
import { IntakeModule } from './intake/intake.module';
import { IsolationEntity } from './isolations/isolation.entity';
import { IsolationsModule } from './isolations/isolations.module';
import { CallTaskEntity } from './notifications/call-task.entity';
import { NotificationEntity } from './notifications/notification.entity';
import { NotificationsModule } from './notifications/notifications.module';
import { ReportsModule } from './reports/reports.module';
import { ServiceTimeModule } from './service-time.module';
import { StaffAlertsModule } from './staff-alerts/staff-alerts.module';
import { WebhookDeliveryEntity } from './webhooks/webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhooks/webhook-subscription.entity';
import { WebhooksModule } from './webhooks/webhooks.module';

export const ENTITIES = [IncidentEntity, NotificationEntity, CallTaskEntity, WebhookSubscriptionEntity, WebhookDeliveryEntity, IsolationEntity];

export interface IncidentBootOptions {
  startMessaging?: boolean;
  schemaOnly?: boolean;
  // Tests put the service at the moment they are about (a ManualClock).
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: IncidentConfig, opts: IncidentBootOptions = {}): DynamicModule {
    const { clock, ...platform } = opts;
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'incident', schema: 'incident', config, entities: ENTITIES, publishes: ['INCIDENT'], customerData: INCIDENT_CUSTOMER_DATA, ...platform }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [CustomerRef, AlertRef] }),
        ServiceTimeModule.forRoot(config, clock),
        IncidentsModule,
        IntakeModule,
        ReportsModule,
        NotificationsModule,
        WebhooksModule,
        IsolationsModule,
        StaffAlertsModule,
      ],
    };
  }
}
