import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AvailabilityGate, AvailabilityQuestion } from '../intake/availability-gate';
import { MaintenanceRepository } from './maintenance.repository';

// The AvailabilityGate of the running service: a sensor going DOWN inside a live (not cancelled)
// maintenance window of its own or of its customer opens no availability incident. The window
// counts the suppression (suppressedCount, lastSuppressedAt), in the liveness event's transaction.
@Injectable()
export class MaintenanceGate extends AvailabilityGate {
  constructor(private readonly repo: MaintenanceRepository) {
    super();
  }

  async suppression(em: EntityManager, q: AvailabilityQuestion): Promise<string | null> {
    const w = await this.repo.suppressWithin(em, q.customerId, q.sensorId, q.at);
    if (!w) return null;
    return `maintenance window ${w.id} (${w.reason}, ${w.sensorId ? 'this sensor' : 'all the customer’s sensors'}, until ${w.endsAt.toISOString()})`;
  }
}
