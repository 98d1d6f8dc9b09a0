import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerHost, PermanentEventError } from '@kanshi/messaging';
import { EndpointChanged } from '@kanshi/events';
import { IsolationsRepository } from './isolations.repository';

// The endpoint read model: endpoint-response's inventory, the latest version per endpoint.
@Injectable()
export class EndpointsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: IsolationsRepository,
  ) {}

  onModuleInit(): void {
    this.host.register({
      durable: 'incident-endpoint-changed',
      event: EndpointChanged,
      handle: async (e, { em }) => {
        if (!e.customerId) throw new PermanentEventError(`endpoint.changed ${e.body.endpointId} names no customer`);
        await this.repo.upsertEndpoint(em, e.customerId, e.body);
      },
    });
  }
}
