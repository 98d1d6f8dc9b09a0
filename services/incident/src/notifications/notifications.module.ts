import { Module } from '@nestjs/common';
import { MailAdapter } from '../adapters/mail.adapter';
import { TwilioClient } from '../adapters/twilio.client';
import { CallTasksService } from './call-tasks.service';
import { IncidentCoreAdapter } from './incident-core.adapter';
import { IncidentCorePort } from './incident-core.port';
import { CallTasksResolver, IncidentNotificationsResolver } from './notifications.resolver';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { VoiceCallbackController } from './voice-callback.controller';

@Module({
  controllers: [VoiceCallbackController],
  providers: [
    NotificationsRepository,
    NotificationsService,
    CallTasksService,
    IncidentNotificationsResolver,
    CallTasksResolver,
    MailAdapter,
    TwilioClient,
    { provide: IncidentCorePort, useClass: IncidentCoreAdapter },
  ],
  exports: [NotificationsService, CallTasksService],
})
export class NotificationsModule {}
