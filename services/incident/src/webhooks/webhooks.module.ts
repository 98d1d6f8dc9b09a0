import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '@kanshi/calendar';
import { WebhookClient } from '../adapters/webhook.client';
import { WebhooksConsumer } from './webhooks.consumer';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';

@Module({
  providers: [WebhooksRepository, WebhooksService, WebhooksResolver, WebhooksConsumer, WebhookClient, { provide: Clock, useClass: SystemClock }],
  exports: [WebhooksService],
})
export class WebhooksModule {}
