import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@kanshi/calendar';
import { CustomerDataPurgeDue } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import { ContractsConfig } from '../config';
import { CONTRACTS_CONFIG } from '../contracts-core.module';
import { AuditRepository } from './audit.repository';

// Hourly, once across replicas: finds customers whose contract ended and whose log retention has
// passed, and asks every service to delete their data. Asked once per contract (the request row
// and the event commit together).
export const CustomerDataPurgeJob = defineJob<Record<string, never>>('customer-data-purge', {
  retryLimit: 3,
  retryDelaySeconds: 300,
  retryBackoff: true,
  expireInSeconds: 3600,
  policy: 'stately',
});

const log = createLogger('DataPurgeScheduler');

@Injectable()
export class DataPurgeScheduler implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: AuditRepository,
    private readonly outbox: Outbox,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    @Inject(CONTRACTS_CONFIG) private readonly config: ContractsConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(CustomerDataPurgeJob, async () => {
      await this.requestDuePurges();
    });
    this.jobs.schedule(CustomerDataPurgeJob, this.config.DATA_PURGE_CRON, { tz: 'Asia/Tokyo' });
  }

  // Returns the contracts whose purge was asked for now.
  async requestDuePurges(): Promise<string[]> {
    const due = await this.repo.contractsDueForPurge(this.clock.now());
    const asked: string[] = [];
    for (const c of due) {
      const requested = await this.ds.transaction(async (em) => {
        const eventId = await this.repo.requestPurge(em, c);
        if (!eventId) return false;
        await this.outbox.add(em, CustomerDataPurgeDue, { customerId: c.customerId, contractId: c.contractId, contractEndedAt: c.endedAt.toISOString(), retentionMonths: c.retentionMonths }, { customerId: c.customerId, eventId });
        return true;
      });
      if (requested) asked.push(c.contractId);
    }
    if (asked.length) log.info({ contracts: asked }, "customers' data purge requested");
    return asked;
  }
}
