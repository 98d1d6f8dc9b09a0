import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { enumOf } from './enum-of';
import { defineEvent } from './envelope';
import { SENSOR_PRODUCTS, SensorProductCode } from './products';

// A sensor's liveness: UNKNOWN until it is first heard from; the events carry the changes
// between UP and DOWN.
export const SENSOR_STATUSES = ['UP', 'DOWN', 'UNKNOWN'] as const;
export type SensorStatus = (typeof SENSOR_STATUSES)[number];
export const SensorStatus = enumOf(SENSOR_STATUSES);
export type SensorLivenessStatus = Exclude<SensorStatus, 'UNKNOWN'>;
const LIVENESS_STATUSES: readonly SensorLivenessStatus[] = ['UP', 'DOWN'];

export class AlertReceivedBody {
  @IsUUID() alertId: string;
  @IsUUID() sensorId: string;
  @IsIn(SENSOR_PRODUCTS) product: SensorProductCode;
  @IsISO8601() occurredAt: string;
  @IsISO8601() receivedAt: string;
  @IsOptional() @IsString() ruleName: string | null;
  @IsOptional() @IsString() vendorSeverity: string | null;
  // ECS event.severity: 21 low, 47 medium, 73 high, 99 critical.
  @IsInt() @Min(0) @Max(100) severity: number;
  @IsOptional() @IsBoolean() blocked: boolean | null;
  @IsOptional() @IsString() groupKey: string | null;
  @IsInt() @Min(1) repeatCount: number;
  @IsObject() ecs: Record<string, unknown>;
}

// Logs travel in batches: one message per log line would cost more than storing them.
export class LogsReceivedBody {
  @IsUUID() sensorId: string;
  @IsIn(SENSOR_PRODUCTS) product: SensorProductCode;
  @IsArray() @ArrayMaxSize(5000) @IsObject({ each: true }) records: Record<string, unknown>[];
}

export class SensorLivenessChangedBody {
  @IsUUID() sensorId: string;
  @IsIn(LIVENESS_STATUSES) status: SensorLivenessStatus;
  @IsOptional() @IsISO8601() lastSeenAt: string | null;
}

export class SensorRegisteredBody {
  @IsUUID() sensorId: string;
  @IsIn(SENSOR_PRODUCTS) product: SensorProductCode;
  @IsString() name: string;
}

export class SensorFirstEventReceivedBody {
  @IsUUID() sensorId: string;
  @IsISO8601() at: string;
}

// The product version a sensor reports in its events (ECS observer.version: a CEF or LEEF header's
// device version, FireEye's version, ...) changed: published when ingestion first sees a version
// different from the one it knew (`previousVersion` null for the first one).
export class SensorVersionChangedBody {
  @IsUUID() sensorId: string;
  @IsIn(SENSOR_PRODUCTS) product: SensorProductCode;
  @IsString() version: string;
  @IsOptional() @IsString() previousVersion: string | null;
  @IsISO8601() seenAt: string;
}

export const AlertReceived = defineEvent('ingestion.alert.received.v1', 'INGESTION', AlertReceivedBody);
export const LogsReceived = defineEvent('ingestion.log.received.v1', 'INGESTION_LOGS', LogsReceivedBody);
export const SensorLivenessChanged = defineEvent('ingestion.sensor.liveness-changed.v1', 'INGESTION', SensorLivenessChangedBody);
export const SensorRegistered = defineEvent('ingestion.sensor.registered.v1', 'INGESTION', SensorRegisteredBody);
export const SensorVersionChanged = defineEvent('ingestion.sensor.version-changed.v1', 'INGESTION', SensorVersionChangedBody);
export const SensorFirstEventReceived = defineEvent('ingestion.sensor.first-event-received.v1', 'INGESTION', SensorFirstEventReceivedBody);
