import { Injectable, OnModuleInit } from '@nestjs/common';
import { EndpointChanged } from '@kanshi/events';
import { ConsumerHost, PermanentEventError } from '@kanshi/messaging';
import { AssetContextService } from './asset-context.service';

// endpoint-response's inventory (issue 12): every change of an endpoint, the latest version kept
// in analysis.inventory_endpoint, so alerts resolve to their endpoint (asset context). One event,
// one transaction with its inbox row: a redelivery changes nothing.
@Injectable()
export class InventoryConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly assets: AssetContextService,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'analysis-endpoint-changed',
      event: EndpointChanged,
      handle: async (e, { em }) => {
        if (!e.customerId) throw new PermanentEventError(`endpoint.changed ${e.body.endpointId} names no customer`);
        await this.assets.remember(em, e.customerId, e.body);
      },
    });
  }
}
