import { Module } from '@nestjs/common';
import { WebhookClient } from '../adapters/webhook.client';
import { WebhooksConsumer } from './webhooks.consumer';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';

@Module({
  providers: [WebhooksRepository, WebhooksService, WebhooksResolver, WebhooksConsumer, WebhookClient],
  exports: [WebhooksService],
})
export class WebhooksModule {}
