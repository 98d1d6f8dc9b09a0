import { EntityManager } from 'typeorm';
import { SensorProductCode, SocSeverity } from '@kanshi/events';

// Grouping of related alerts (the groups module), as analysis' pipeline calls it. Bound to
// ALERT_GROUPER; app wiring binds OneGroupPerAlert until the groups module lands.
export const ALERT_GROUPER = Symbol('ALERT_GROUPER');

export interface GroupableAlert {
  alertId: string;
  customerId: string;
  sensorId: string;
  product: SensorProductCode;
  // The first matched rule's id, else the vendor's rule name; null when there is neither.
  ruleKey: string | null;
  vendorGroupKey: string | null;
  hostName: string | null;
  hostIp: string | null;
  iocValues: string[];
  occurredAt: Date;
}

export interface AlertGrouperPort {
  assign(tx: EntityManager, alert: GroupableAlert): Promise<{ groupId: string; isNew: boolean }>;
  raiseSeverity(tx: EntityManager, groupId: string, severity: SocSeverity): Promise<void>;
}
