import { IncidentUpdatedBody, SocSeverity, VerdictActionV2, VerdictEndpointV2, VerdictReasonV2 } from '@kanshi/events';

// What the read models answer, in the shapes the reports are built from.

export interface VerdictFact {
  verdictId: string;
  customerId: string;
  decidedAt: Date;
  severity: SocSeverity;
  sensorId: string;
  sensorName: string | null;
  product: string;
  category: string[];
  signature: string | null;
  blocked: boolean | null;
  alertIds: string[];
  reasons: VerdictReasonV2[];
  actions: VerdictActionV2[];
  endpoints: VerdictEndpointV2[];
}

export interface IncidentFact {
  incidentId: string;
  customerId: string;
  snapshot: IncidentUpdatedBody;
}

export interface IsolationOutcomeFact {
  isolationId: string;
  incidentId: string;
  endpointId: string;
  outcome: 'ISOLATED' | 'FAILED' | 'RELEASED';
  at: Date;
  vendor: string | null;
  hostName: string | null;
  error: string | null;
}

export interface SensorFact {
  sensorId: string;
  name: string;
  product: string;
  registeredAt: Date;
  // the version its events report (ingestion.sensor.version-changed.v1); null when none is known
  productVersion?: string | null;
}

export interface LivenessChangeFact {
  sensorId: string;
  status: 'UP' | 'DOWN';
  at: Date;
}

export interface MaintenanceWindowFact {
  windowId: string;
  sensorId: string | null;
  sensorName: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  note: string | null;
}

export interface WorkOrderFact {
  workOrderId: string;
  sensorId: string;
  sensorName: string | null;
  kind: 'VERSION_UPGRADE' | 'HARDWARE_REPLACEMENT';
  plannedStart: Date;
  plannedEnd: Date;
  engineer: string;
  outcome: string | null;
  completedAt: Date | null;
  fromVersion: string | null;
  toVersion: string | null;
  oldSerial: string | null;
  newSerial: string | null;
  notes: string | null;
}

export interface ContactFact {
  order: number;
  name: string;
  email: string | null;
  language: 'ja' | 'en';
}

// A customer's contracts seen together: the plans in force, the earliest start, the contacts of
// the newest contract in force.
export interface CustomerProfile {
  customerId: string;
  name: string;
  plans: string[];
  startDate: string | null;
  contacts: ContactFact[];
}

export interface Counted {
  key: string;
  label?: string | null;
  count: number;
}

export interface VerdictStatistics {
  total: number;
  bySeverity: Record<SocSeverity, number>;
  // One entry per Tokyo day of the range that has verdicts: 'YYYY-MM-DD' -> counts by severity.
  byDay: { day: string; HIGH: number; MEDIUM: number; LOW: number }[];
  bySensor: Counted[];
  byProduct: Counted[];
  byCategory: Counted[];
  topSignatures: Counted[];
  lowBySignature: Counted[];
  lowBySensor: Counted[];
  blocked: number;
}
