import { Injectable, OnModuleInit } from '@nestjs/common';
import { ContractActivated, ContractChanged, ContractTerminated } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { CustomerContractsRepository } from './customer-contracts.repository';

// Which customers are MDR (counted and billed per endpoint) and which EDRs to sync for them:
// every contract event carries the whole entitlement set, so each replaces the row.
@Injectable()
export class ContractsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: CustomerContractsRepository,
  ) {}

  onModuleInit(): void {
    for (const [durable, event] of [
      ['endpoint-response-contract-activated', ContractActivated],
      ['endpoint-response-contract-changed', ContractChanged],
      ['endpoint-response-contract-terminated', ContractTerminated],
    ] as const) {
      this.host.register({ durable, event, handle: (e, { em }) => this.repo.apply(em, e.body, e.occurredAt) });
    }
  }
}
