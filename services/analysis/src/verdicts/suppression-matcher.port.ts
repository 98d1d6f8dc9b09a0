import { EntityManager } from 'typeorm';
import { SensorProductCode } from '@kanshi/events';

// Suppression rules (the suppressions module), as analysis' pipeline calls it. Bound to
// SUPPRESSIONS; app wiring binds NoSuppressions until that module lands.
export const SUPPRESSIONS = Symbol('SUPPRESSIONS');

export interface SuppressibleAlert {
  product: SensorProductCode;
  ruleName: string | null;
  ecs: Record<string, unknown>;
}

export interface SuppressionMatcherPort {
  match(customerId: string, alert: SuppressibleAlert, at: Date): { id: string; reason: string } | null;
  recordHit(tx: EntityManager, suppressionId: string, alertId: string): Promise<void>;
}
