import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { MailAdapter } from '../adapters/mail.adapter';
import { TwilioClient } from '../adapters/twilio.client';
import { CallTasksService } from './call-tasks.service';
import { IncidentCoreAdapter } from './incident-core.adapter';
import { IncidentCorePort } from './incident-core.port';
import { NotificationTriggers } from './notification-triggers';
import { CallTasksResolver, IncidentNotificationsResolver } from './notifications.resolver';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { VoiceCallbackController } from './voice-callback.controller';

@Module({
  imports: [IncidentsModule],
  controllers: [VoiceCallbackController],
  providers: [
    NotificationsRepository,
    NotificationsService,
    CallTasksService,
    NotificationTriggers,
    IncidentNotificationsResolver,
    CallTasksResolver,
    MailAdapter,
    TwilioClient,
    { provide: IncidentCorePort, useClass: IncidentCoreAdapter },
  ],
  exports: [NotificationsService, CallTasksService],
})
export class NotificationsModule {}
