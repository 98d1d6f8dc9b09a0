import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toTokyoDate } from '@kanshi/calendar';
import { EndpointChanged, EndpointsCounted } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { EndpointResponseConfig } from '../config';
import { endpointChangedBody } from '../endpoints/endpoint-changed';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { CustomerContractsRepository } from './customer-contracts.repository';

// Daily (ENDPOINTS_COUNT_CRON, Asia/Tokyo), once across replicas.
export const EndpointCountJob = defineJob('endpoints-count', { retryLimit: 3, retryDelaySeconds: 300, retryBackoff: true, expireInSeconds: 600, policy: 'stately' });
const DAY_MS = 86_400_000;

// MDR is billed per managed endpoint: an MDR customer's endpoint whose agent its EDR reported
// within the last MANAGED_ENDPOINT_WINDOW_DAYS (docs/billing.md). Once a day this marks endpoints
// that left (or came back into) the window as retired (published as endpoint changes) and sends
// each MDR customer's count for the Tokyo day as response.endpoints.counted.v1; contracts bills
// the month's highest daily count.
@Injectable()
export class EndpointCountService implements OnModuleInit {
  private readonly log = createLogger('EndpointCountService');

  constructor(
    private readonly ds: DataSource,
    private readonly endpoints: EndpointsRepository,
    private readonly contracts: CustomerContractsRepository,
    private readonly outbox: Outbox,
    private readonly jobs: JobQueue,
    @Inject(PLATFORM_CONFIG) private readonly config: EndpointResponseConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(EndpointCountJob, () => this.countAt(new Date()));
    this.jobs.schedule(EndpointCountJob, this.config.ENDPOINTS_COUNT_CRON, { tz: 'Asia/Tokyo' });
  }

  async countAt(now: Date): Promise<{ date: string; counts: Map<string, number>; retired: number; returned: number }> {
    const cutoff = new Date(now.getTime() - this.config.MANAGED_ENDPOINT_WINDOW_DAYS * DAY_MS);
    const date = toTokyoDate(now, 'now');
    const customers = await this.contracts.mdrCustomers();
    return this.ds.transaction(async (em) => {
      let retired = 0;
      let returned = 0;
      const changed = [];
      for (const e of await this.endpoints.retirementChanges(em, cutoff)) {
        if (e.retired) returned++;
        else retired++;
        changed.push(await this.endpoints.change(em, e, { retired: !e.retired }));
      }
      await this.outbox.addMany(
        em,
        EndpointChanged,
        changed.map((e) => ({ body: endpointChangedBody(e), customerId: e.customerId })),
      );
      const counts = await this.endpoints.managedCounts(customers, cutoff);
      await this.outbox.addMany(
        em,
        EndpointsCounted,
        customers.map((customerId) => ({ body: { date, count: counts.get(customerId) ?? 0 }, customerId })),
      );
      this.log.info({ date, customers: customers.length, retired, returned }, 'managed endpoints counted');
      return { date, counts, retired, returned };
    });
  }
}
