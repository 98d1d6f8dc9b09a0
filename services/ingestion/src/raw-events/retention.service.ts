import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { counter, createLogger } from '@kanshi/observability';
import { IngestionConfig } from '../config';
import { EntitlementsRepository } from '../entitlements/entitlements.repository';
import { QuarantineRepository } from '../quarantine/quarantine.repository';
import { isExpired, MonthPartition, monthPartition, monthsAhead } from './partition-calendar';
import { RawEventsRepository } from './raw-events.repository';

export interface RetentionRun {
  dropped: string[];
  movedToLongerRetention: number;
  quarantinePurged: number;
}

// One run at a time across replicas; a failed run is retried, and the next interval's catches up.
export const RetentionJob = defineJob('raw-event-retention', { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 3600, policy: 'stately' });

const droppedPartitions = counter('kanshi_ingest_partitions_dropped_total', 'Raw-event partitions dropped by retention');

// Raw events are kept per contract (3 months unless the contract says otherwise) by dropping
// whole month partitions of each retention class; partitions are created ahead so intake never
// waits for DDL. A job on the service's queue, queued when a replica starts and then every
// RETENTION_INTERVAL_MS (once across replicas).
@Injectable()
export class RetentionService implements OnModuleInit, OnApplicationBootstrap {
  private readonly log = createLogger('RetentionService');
  // partitions this process knows to exist, so intake asks the database only for a new month
  private readonly known = new Set<string>();

  constructor(
    private readonly ds: DataSource,
    private readonly repo: RawEventsRepository,
    private readonly entitlements: EntitlementsRepository,
    private readonly quarantine: QuarantineRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.work(RetentionJob, () => this.run());
    // Also at start: a service restarted more often than the interval still enforces retention.
    this.jobs.every(RetentionJob, this.config.RETENTION_INTERVAL_MS, { atStart: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    // schema-only boot (supergraph composition): no database, nothing to run
    if (!this.ds.isInitialized) return;
    // Intake needs this month's partitions before its first batch: created before the service
    // is ready; expired ones are dropped by the retention job.
    await this.createAhead(new Date());
  }

  // Before a batch is written: the partitions for its class and months exist.
  // months: YYYY-MM (UTC)
  async ensureFor(retentionMonths: number, months: string[]): Promise<void> {
    const missing = new Map<string, MonthPartition>();
    for (const month of months) {
      const p = monthPartition(retentionMonths, new Date(`${month}-01T00:00:00Z`));
      if (!this.known.has(p.name)) missing.set(p.name, p);
    }
    if (missing.size === 0) return;
    await this.repo.ensurePartitions([...missing.values()]);
    for (const name of missing.keys()) this.known.add(name);
  }

  // After an insert found no partition (another replica's retention dropped one this process
  // still believed in): ask the database again.
  forgetKnownPartitions(): void {
    this.known.clear();
  }

  async createAhead(now: Date): Promise<void> {
    const classes = new Set([this.config.DEFAULT_LOG_RETENTION_MONTHS, ...(await this.entitlements.retentionClasses()), ...(await this.repo.retentionClassesWithPartitions())]);
    const partitions = [...classes].flatMap((months) => monthsAhead(now, this.config.PARTITION_MONTHS_AHEAD).map((m) => monthPartition(months, m)));
    await this.repo.ensurePartitions(partitions);
    for (const p of partitions) this.known.add(p.name);
  }

  async run(now = new Date()): Promise<RetentionRun> {
    await this.createAhead(now);
    const result: RetentionRun = { dropped: [], movedToLongerRetention: 0, quarantinePurged: 0 };
    for (const p of await this.repo.listMonthPartitions()) {
      if (!isExpired(p, now)) continue;
      result.movedToLongerRetention += await this.repo.dropPartition(p, now);
      this.known.delete(p.name);
      result.dropped.push(p.name);
      droppedPartitions.inc();
    }
    result.quarantinePurged = await this.quarantine.purgeExpired(now, this.config.DEFAULT_LOG_RETENTION_MONTHS);
    if (result.dropped.length || result.quarantinePurged) this.log.info(result, 'retention applied');
    return result;
  }
}
