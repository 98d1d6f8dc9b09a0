import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { defineEvent } from './envelope';

export class AlertReceivedBody {
  @IsUUID() alertId: string;
  @IsUUID() sensorId: string;
  @IsString() product: string;
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
  @IsString() product: string;
  @IsArray() @ArrayMaxSize(5000) @IsObject({ each: true }) records: Record<string, unknown>[];
}

export class SensorLivenessChangedBody {
  @IsUUID() sensorId: string;
  @IsIn(['UP', 'DOWN']) status: 'UP' | 'DOWN';
  @IsOptional() @IsISO8601() lastSeenAt: string | null;
}

export class SensorRegisteredBody {
  @IsUUID() sensorId: string;
  @IsString() product: string;
  @IsString() name: string;
}

export class SensorFirstEventReceivedBody {
  @IsUUID() sensorId: string;
  @IsISO8601() at: string;
}

export const AlertReceived = defineEvent('ingestion.alert.received.v1', 'INGESTION', AlertReceivedBody);
export const LogsReceived = defineEvent('ingestion.log.received.v1', 'INGESTION_LOGS', LogsReceivedBody);
export const SensorLivenessChanged = defineEvent('ingestion.sensor.liveness-changed.v1', 'INGESTION', SensorLivenessChangedBody);
export const SensorRegistered = defineEvent('ingestion.sensor.registered.v1', 'INGESTION', SensorRegisteredBody);
export const SensorFirstEventReceived = defineEvent('ingestion.sensor.first-event-received.v1', 'INGESTION', SensorFirstEventReceivedBody);
