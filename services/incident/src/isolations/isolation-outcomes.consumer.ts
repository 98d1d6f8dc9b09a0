import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerHost } from '@kanshi/messaging';
import { EndpointIsolated, EndpointIsolationFailed, EndpointReleased } from '@kanshi/events';
import { IsolationsService } from './isolations.service';

// endpoint-response's answers to the incident's isolation and release requests.
@Injectable()
export class IsolationOutcomesConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly service: IsolationsService,
  ) {}

  onModuleInit(): void {
    this.host.register({ durable: 'incident-isolation-isolated', event: EndpointIsolated, handle: (e, { em }) => this.service.onOutcome(em, 'ISOLATED', e.body) });
    this.host.register({ durable: 'incident-isolation-failed', event: EndpointIsolationFailed, handle: (e, { em }) => this.service.onOutcome(em, 'FAILED', e.body) });
    this.host.register({ durable: 'incident-isolation-released', event: EndpointReleased, handle: (e, { em }) => this.service.onOutcome(em, 'RELEASED', e.body) });
  }
}
