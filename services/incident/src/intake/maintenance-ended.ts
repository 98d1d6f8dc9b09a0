import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@kanshi/calendar';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { MaintenanceRepository } from '../maintenance/maintenance.repository';
import { SensorsRepository } from '../sensors/sensors.repository';
import { VerdictIntake } from './verdict-intake';

// Once a minute, once across replicas.
export const MaintenanceEndedJob = defineJob('incident-maintenance-ended', { retryLimit: 2, retryDelaySeconds: 5, expireInSeconds: 300, policy: 'stately' });
const INTERVAL_MS = 60_000;
const BATCH = 200;

// Liveness changes come only on a change: a sensor that went DOWN inside a maintenance window
// (suppressed) and is still DOWN when the window ends (or is cancelled) would otherwise never get
// its availability incident. Each such window is checked once after its end: its sensors whose
// last liveness change was DOWN get the incident then (unless one is open or another window
// covers them).
@Injectable()
export class MaintenanceEndedCheck implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly windows: MaintenanceRepository,
    private readonly sensors: SensorsRepository,
    private readonly intake: VerdictIntake,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.work(MaintenanceEndedJob, async () => {
      await this.tick();
    });
    this.jobs.every(MaintenanceEndedJob, INTERVAL_MS, { atStart: true });
  }

  // The number of availability incidents opened.
  async tick(): Promise<number> {
    let opened = 0;
    for (;;) {
      const now = this.clock.now();
      const n = await this.ds.transaction(async (em) => {
        const ended = await this.windows.endedUnchecked(em, now, BATCH);
        for (const w of ended) {
          for (const sensorId of await this.sensors.downOf(em, w.customerId, w.sensorId)) {
            if (await this.intake.stillDownAfterMaintenance(em, w.customerId, sensorId, w.id)) opened++;
          }
          await this.windows.markEndChecked(em, w.id, now);
        }
        return ended.length;
      });
      if (n < BATCH) return opened;
    }
  }
}
