import { Injectable, OnModuleInit } from '@nestjs/common';
import { ContractActivated, ContractChanged, ContractTerminated } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { EntitlementsRepository } from './entitlements.repository';

// Keeps the contract read model from contracts' events (activated, changed, terminated all carry
// the whole entitlement set, so each one simply replaces the row).
@Injectable()
export class EntitlementsConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: EntitlementsRepository,
  ) {}

  onModuleInit(): void {
    for (const [durable, event] of [
      ['ingestion-contract-activated', ContractActivated],
      ['ingestion-contract-changed', ContractChanged],
      ['ingestion-contract-terminated', ContractTerminated],
    ] as const) {
      this.host.register({ durable, event, handle: (e, { em }) => this.repo.apply(em, e.body, e.occurredAt) });
    }
  }
}
