import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { createLogger } from '@kanshi/observability';
import { Clock } from '@kanshi/calendar';
import { ContractsConfig } from '../config';
import { CONTRACTS_CONFIG } from '../contracts-core.module';
import { BillingRunService } from './billing-run.service';

// The billing run of a closed month; without a period, the month before today's (Asia/Tokyo).
// Retried with back-off: a run is idempotent per period, so a retry or a second run for the same
// month issues nothing twice (recipients with a live issued invoice are left alone).
export const MonthlyBillingJob = defineJob<{ period?: string }>('monthly-billing', {
  retryLimit: 5,
  retryDelaySeconds: 300,
  retryBackoff: true,
  expireInSeconds: 6 * 3600,
  policy: 'stately',
});

// Hourly and at every start: bills the month just closed if no run has (no replica was up when
// the schedule fired, or every attempt failed), so a missed 1st is caught up, not skipped.
export const MonthlyBillingCatchUpJob = defineJob<Record<string, never>>('monthly-billing-catch-up', {
  retryLimit: 3,
  retryDelaySeconds: 300,
  retryBackoff: true,
  expireInSeconds: 6 * 3600,
  policy: 'stately',
});

export const BILLING_TIME_ZONE = 'Asia/Tokyo';

// The month that closed before `today` (a JST calendar date 'YYYY-MM-DD'), as 'YYYY-MM'.
export function closedMonthBefore(today: string): string {
  const [year, month] = today.split('-').map(Number);
  const y = month === 1 ? year - 1 : year;
  const m = month === 1 ? 12 : month - 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

// Issues the invoices of the month just closed, on the 1st of each month (BILLING_RUN_CRON, JST).
@Injectable()
export class MonthlyBillingService implements OnModuleInit {
  private readonly log = createLogger('MonthlyBillingService');

  constructor(
    private readonly billing: BillingRunService,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    @Inject(CONTRACTS_CONFIG) private readonly config: ContractsConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(MonthlyBillingJob, async ({ period }) => {
      await this.billing.runPeriod(period ?? closedMonthBefore(this.clock.today()), { draft: false, startedBy: 'monthly-billing-job' });
    });
    this.jobs.schedule(MonthlyBillingJob, this.config.BILLING_RUN_CRON, { tz: BILLING_TIME_ZONE });
    if (!this.config.BILLING_CATCH_UP) return;
    this.jobs.work(MonthlyBillingCatchUpJob, async () => {
      const period = closedMonthBefore(this.clock.today());
      if (await this.billing.billed(period)) return;
      this.log.warn({ period }, 'the month just closed has no billing run (its schedule was missed); billing it now');
      await this.billing.runPeriod(period, { draft: false, startedBy: 'monthly-billing-catch-up' });
    });
    this.jobs.every(MonthlyBillingCatchUpJob, 3600_000, { atStart: true });
  }
}
