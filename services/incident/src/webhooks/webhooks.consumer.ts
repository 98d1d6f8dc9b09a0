import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS } from './webhook-kinds';
import { WebhooksService } from './webhooks.service';

// Incident's own events, as published from its outbox, become webhook deliveries.
@Injectable()
export class WebhooksConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly service: WebhooksService,
  ) {}

  onModuleInit(): void {
    for (const kind of WEBHOOK_EVENT_TYPES) {
      this.host.register({
        durable: `incident-webhooks-${kind.toLowerCase().replace(/_/g, '-')}`,
        event: WEBHOOK_EVENTS[kind].event as never,
        handle: async (e: EventEnvelope<object>, { em }) => {
          await this.service.fanOut(em, kind, e);
        },
      });
    }
  }
}
