import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { StripeSyncRepository } from './stripe-sync.repository';
import { StripeSyncService } from './stripe-sync.service';
import { StripeWebhookController } from './stripe-webhook.controller';
import { StripeWebhooksService } from './stripe-webhooks.service';

@Module({
  imports: [InvoicesModule],
  controllers: [StripeWebhookController],
  providers: [StripeSyncRepository, StripeSyncService, StripeWebhooksService],
  exports: [StripeSyncService],
})
export class StripeSyncModule {}
