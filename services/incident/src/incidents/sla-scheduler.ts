import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@kanshi/calendar';
import { IncidentSlaBreached, SlaBreachedBody } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IncidentConfig } from '../config';
import { IncidentTimeline, TimelineEntryInput } from '../timeline/incident-timeline';
import { CLOCK_COLUMNS, dueClocks, nextDueAt } from '../sla/sla-clocks';
import { clockName } from './incident-sla';
import { IncidentsRepository } from './incidents.repository';
import { IncidentWriter } from './incident-writer';

// One check at a time across replicas (stately: at most one queued and one active).
export const SlaCheckJob = defineJob('incident-sla-check', { retryLimit: 2, retryDelaySeconds: 5, expireInSeconds: 300, policy: 'stately' });

const BATCH = 500;

export interface SlaTick {
  breaches: number;
  incidents: number;
}

// Finds clocks past due (the indexed `next_due_at`: the tick reads only due rows, never the open
// incidents), marks each breached once, writes a timeline entry and
// incident.incident.sla-breached.v1, and publishes the new snapshot. Rows are locked
// with SKIP LOCKED, so even two overlapping ticks never report a clock twice.
@Injectable()
export class SlaScheduler implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: IncidentsRepository,
    private readonly writer: IncidentWriter,
    private readonly timeline: IncidentTimeline,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    @Inject(PLATFORM_CONFIG) private readonly config: IncidentConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.work(SlaCheckJob, () => this.tick());
    this.jobs.every(SlaCheckJob, this.config.SLA_CHECK_INTERVAL_MS, { atStart: true });
  }

  // Per batch of due incidents a fixed number of statements, whatever the batch's size: the locked
  // read, the sla-breached events, the timeline entries, the rows' update and their snapshots.
  async tick(): Promise<SlaTick> {
    const out: SlaTick = { breaches: 0, incidents: 0 };
    for (;;) {
      const now = this.clock.now();
      const n = await this.ds.transaction(async (em) => {
        const due = await this.repo.due(em, now, BATCH);
        if (!due.length) return 0;
        const events: { body: SlaBreachedBody; customerId: string }[] = [];
        const entries: (TimelineEntryInput & { incidentId: string })[] = [];
        for (const incident of due) {
          for (const clock of dueClocks(incident, now)) {
            const c = CLOCK_COLUMNS[clock];
            incident[c.breached] = true;
            const dueAt = incident[c.due]!;
            events.push({ body: { incidentId: incident.id, clock, dueAt: dueAt.toISOString(), detectedAt: now.toISOString() }, customerId: incident.customerId });
            entries.push({ incidentId: incident.id, kind: 'SLA', actor: 'system:sla', text: `${clockName(clock)} SLA breached (due ${dueAt.toISOString()})`, at: now });
          }
          incident.nextDueAt = nextDueAt(incident);
        }
        await this.outbox.addMany(em, IncidentSlaBreached, events);
        await this.timeline.appendMany(em, entries);
        await this.repo.saveSlaState(em, due);
        await this.writer.publishSnapshots(em, due);
        out.breaches += events.length;
        return due.length;
      });
      out.incidents += n;
      if (n < BATCH) return out;
    }
  }
}
