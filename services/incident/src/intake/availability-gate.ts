import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface AvailabilityQuestion {
  customerId: string;
  sensorId: string;
  // when the sensor went down
  at: Date;
}

// Whether a sensor going DOWN should open no availability incident, and why (a maintenance window:
// a version upgrade, a device replacement). The maintenance-window module provides its own
// implementation under this class (`{ provide: AvailabilityGate, useClass: ... }` in IntakeModule,
// or by overriding the provider); the default never suppresses.
export abstract class AvailabilityGate {
  // The reason it is suppressed (on the log and in the count), or null to open the incident.
  abstract suppression(em: EntityManager, question: AvailabilityQuestion): Promise<string | null>;
}

@Injectable()
export class NeverSuppress extends AvailabilityGate {
  suppression(): Promise<string | null> {
    return Promise.resolve(null);
  }
}
