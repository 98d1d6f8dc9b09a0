import { Injectable, OnModuleInit } from '@nestjs/common';
import { CustomerDataPurged, DataAccessRecorded } from '@kanshi/events';
import { ConsumerHost } from '@kanshi/messaging';
import { AuditRepository } from './audit.repository';

// Every service's audit entries and purge reports land here.
@Injectable()
export class AuditConsumer implements OnModuleInit {
  constructor(
    private readonly host: ConsumerHost,
    private readonly repo: AuditRepository,
  ) {}

  onModuleInit(): void {
    this.host.registerBatch({
      durable: 'contracts-audit-entries',
      event: DataAccessRecorded,
      handleBatch: (events, { em }) => this.repo.insertEntries(em, events),
    });
    this.host.register({
      durable: 'contracts-data-purged',
      event: CustomerDataPurged,
      handle: (event, { em }) => this.repo.recordPurge(em, event.body),
    });
  }
}
