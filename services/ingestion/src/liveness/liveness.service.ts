import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SensorFirstEventReceived, SensorLivenessChanged } from '@kanshi/events';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { Outbox } from '@kanshi/messaging';
import { counter, createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../config';
import { EntitlementsRepository } from '../entitlements/entitlements.repository';
import { LivenessRepository, SeenUpdate } from './liveness.repository';

const FLUSH_INTERVAL_MS = 1000;
// No retries: the next check, one interval later, does the same work.
export const LivenessCheckJob = defineJob('sensor-liveness-check', { retryLimit: 0, expireInSeconds: 300, policy: 'stately' });
const transitions = counter('kanshi_sensor_liveness_transitions_total', 'Sensors going DOWN or back UP', ['status']);

// 死活監視: when each sensor was last heard from (events and heartbeats), DOWN after its silence
// threshold, UP again on traffic. SensorLivenessChanged is emitted only for customers whose
// contract includes liveness monitoring; the status is kept (and shown) for every sensor.
//
// Intake only notes the time in memory; it is written once a second per sensor, so a busy
// sensor's row is not updated (and locked) by every batch: a timer of each process, since what
// it writes is in that process's memory. Looking for silent sensors is a job on the service's
// queue, every LIVENESS_CHECK_INTERVAL_MS once across replicas.
@Injectable()
export class LivenessService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = createLogger('LivenessService');
  private pending = new Map<string, SeenUpdate>();
  private flushTimer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ds: DataSource,
    private readonly repo: LivenessRepository,
    private readonly entitlements: EntitlementsRepository,
    private readonly outbox: Outbox,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.work(LivenessCheckJob, () => this.checkSilent());
    this.jobs.every(LivenessCheckJob, this.config.LIVENESS_CHECK_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    // schema-only boot (supergraph composition): no database, nothing to run
    if (!this.ds.isInitialized) return;
    this.flushTimer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flush();
  }

  seen(sensorId: string, at: Date, event: boolean): void {
    const current = this.pending.get(sensorId);
    if (!current) this.pending.set(sensorId, { sensorId, at, event });
    else {
      if (at > current.at) current.at = at;
      current.event ||= event;
    }
  }

  // Writes what was noted; safe to call at any time (calls queue behind each other).
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const updates = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.ds.transaction(async (em) => {
        const changed = await this.repo.markSeen(em, updates);
        const entitled = await this.entitlements.forCustomers([...new Set(changed.filter((c) => c.previous_status === 'DOWN').map((c) => c.customer_id))]);
        for (const c of changed) {
          if (c.previous_status === 'DOWN') {
            transitions.inc({ status: 'UP' });
            if (entitled.get(c.customer_id)?.livenessMonitoring) {
              await this.outbox.add(em, SensorLivenessChanged, { sensorId: c.id, status: 'UP', lastSeenAt: c.last_seen_at.toISOString() }, { customerId: c.customer_id });
            }
          }
          if (c.first_event) {
            await this.outbox.add(em, SensorFirstEventReceived, { sensorId: c.id, at: c.first_event_at!.toISOString() }, { customerId: c.customer_id });
          }
        }
      });
    } catch (err) {
      // Put the times back (newer ones noted meanwhile win): the next flush writes them.
      for (const u of updates) this.seen(u.sensorId, u.at, u.event);
      this.log.warn({ err, sensors: updates.length }, 'last-seen update failed; will retry');
    }
  }

  // Marks silent sensors DOWN. Returns the sensors that went down.
  async checkSilent(now = new Date()): Promise<string[]> {
    // what this process heard but has not written yet is not silence
    await this.flush();
    return this.ds.transaction(async (em) => {
      const down = await this.repo.markSilentDown(em, now);
      if (down.length === 0) return [];
      const entitled = await this.entitlements.forCustomers([...new Set(down.map((d) => d.customer_id))]);
      for (const d of down) {
        transitions.inc({ status: 'DOWN' });
        if (!entitled.get(d.customer_id)?.livenessMonitoring) continue;
        await this.outbox.add(em, SensorLivenessChanged, { sensorId: d.id, status: 'DOWN', lastSeenAt: d.last_seen_at.toISOString() }, { customerId: d.customer_id, occurredAt: now });
      }
      return down.map((d) => d.id);
    });
  }
}
