import { Injectable, OnModuleInit } from '@nestjs/common';
import { VerdictIssuedV2 } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { InventorySyncService } from './inventory-sync.service';

// Endpoints named by alerts (analysis' verdicts) enter the customer's inventory.
@Injectable()
export class VerdictEndpointsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly inventory: InventorySyncService,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'endpoint-response-verdict-endpoints',
      event: VerdictIssuedV2,
      handle: async (e, { em }) => {
        if (!e.customerId || !e.body.endpoints.length) return;
        await this.inventory.learnFromVerdict(em, e.customerId, e.body);
      },
    });
  }
}
