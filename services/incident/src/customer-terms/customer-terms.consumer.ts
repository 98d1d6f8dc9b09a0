import { Injectable, OnModuleInit } from '@nestjs/common';
import { ContractActivated, ContractChanged, ContractTerminated } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { CustomerTermsRepository } from './customer-terms.repository';

// Keeps the customer terms from contracts' events (each carries the whole entitlement set, so it
// replaces the contract's row).
@Injectable()
export class CustomerTermsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: CustomerTermsRepository,
  ) {}

  onModuleInit(): void {
    for (const [durable, event] of [
      ['incident-contract-activated', ContractActivated],
      ['incident-contract-changed', ContractChanged],
      ['incident-contract-terminated', ContractTerminated],
    ] as const) {
      this.host.register({ durable, event, handle: (e, { em }) => this.repo.apply(em, e.body, e.occurredAt) });
    }
  }
}
