import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../../config';
import { IntakeRequestsRepository } from './intake-requests.repository';

// No retries: the next interval does the same work.
export const IntakeRequestPurgeJob = defineJob('intake-request-purge', { retryLimit: 0, expireInSeconds: 900, policy: 'stately' });
const CHUNK = 5000;
const purged = counter('kanshi_ingest_intake_requests_purged_total', 'Expired intake request keys (idempotency) deleted');

// Expired request keys are deleted by a job on the service's queue, every
// INTAKE_REQUEST_PURGE_INTERVAL_MS once across replicas (and at start), a chunk at a time so no
// delete holds many row locks long. An expired row not yet purged is already ignored by intake.
@Injectable()
export class IntakeRequestPurge implements OnModuleInit {
  private readonly log = createLogger('IntakeRequestPurge');

  constructor(
    private readonly repo: IntakeRequestsRepository,
    private readonly jobs: JobQueue,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(IntakeRequestPurgeJob, () => this.run());
    this.jobs.every(IntakeRequestPurgeJob, this.config.INTAKE_REQUEST_PURGE_INTERVAL_MS, { atStart: true });
  }

  async run(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.repo.purgeExpired(CHUNK);
      total += n;
      if (n < CHUNK) break;
    }
    if (total > 0) {
      purged.inc(total);
      this.log.info({ purged: total }, 'expired intake request keys deleted');
    }
    return total;
  }
}
