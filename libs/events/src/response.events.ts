import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { defineEvent } from './envelope';
import { SENSOR_PRODUCTS, SensorProductCode } from './products';

// The EDR products endpoint-response has a connector for (issue 12): the subset of the sensor
// products whose console can isolate a host.
export const EDR_PRODUCTS = ['CROWDSTRIKE_FALCON', 'CARBON_BLACK', 'CYBEREASON', 'FIREEYE_HX'] as const satisfies readonly SensorProductCode[];
export type EdrProductCode = (typeof EDR_PRODUCTS)[number];

// An isolation's life (issue 12), owned by endpoint-response.
export const ISOLATION_STATUSES = ['REQUESTED', 'ISOLATED', 'FAILED', 'RELEASE_REQUESTED', 'RELEASED'] as const;
export type IsolationStatusValue = (typeof ISOLATION_STATUSES)[number];

export class IsolationOutcomeBody {
  @IsUUID() isolationId: string;
  @IsUUID() incidentId: string;
  @IsUUID() endpointId: string;
  @IsOptional() @IsString() error?: string;
  // Added with issue 12 (optional, so v1 stays compatible): when the vendor confirmed or refused,
  // which EDR acted, and the endpoint's host name for the timeline.
  @IsOptional() @IsISO8601() at?: string;
  @IsOptional() @IsIn(EDR_PRODUCTS) vendor?: EdrProductCode;
  @IsOptional() @IsString() hostName?: string;
}

// One endpoint of the inventory as it is now (issue 12): published on every change (learned from
// an EDR sync or an alert, isolation state changed, retired). Consumers keep the latest per
// endpointId by `version`: analysis (asset context) and incident (which endpoint to isolate).
// The customer is the envelope's customerId.
export class EndpointChangedBody {
  @IsUUID() endpointId: string;
  @IsInt() @Min(1) version: number;
  @IsString() hostName: string;
  @IsArray() @ArrayMaxSize(64) @IsString({ each: true }) ips: string[];
  @IsOptional() @IsString() os: string | null;
  @IsOptional() @IsIn(EDR_PRODUCTS) edrProduct: EdrProductCode | null;
  @IsOptional() @IsString() agentId: string | null;
  @IsOptional() @IsISO8601() lastSeenAt: string | null;
  @IsBoolean() isolated: boolean;
  // A retired endpoint is no longer managed (not billed, not offered for isolation).
  @IsBoolean() retired: boolean;
}

// A detection pulled from an EDR console or a FireEye NX/CM Web Services API (issue 12), handed to
// ingestion to be stored as an alert of the customer's sensor `sensorId` exactly once:
// `externalId` is the vendor's id of the record (DetectId / composite id / alert id / malop guid),
// and ingestion's alert identity of the record deduplicates a second pull of the same one.
export class DetectionPulledBody {
  @IsUUID() sensorId: string;
  @IsIn(SENSOR_PRODUCTS) product: SensorProductCode;
  @IsString() @MaxLength(512) externalId: string;
  // The vendor's record as its API returned it, in the shape ingestion's parser for `product` reads.
  @IsObject() record: Record<string, unknown>;
  @IsISO8601() pulledAt: string;
}

// The number of managed endpoints on one day; contracts bills MDR on the month's highest count.
export class EndpointsCountedBody {
  @IsISO8601() date: string;
  @IsInt() @Min(0) count: number;
}

// A customer's EDR connector or FireEye appliance whose vendor refused the stored credentials
// (wrong or revoked): published once when it turns UNHEALTHY, so provider staff are alerted; it
// stays unhealthy (not pulled, not synced, isolations FAILED) until they reconfigure it.
export const CONNECTOR_KINDS = ['EDR_CONNECTOR', 'FIREEYE_APPLIANCE'] as const;
export class ConnectorUnhealthyBody {
  @IsIn(CONNECTOR_KINDS) kind: (typeof CONNECTOR_KINDS)[number];
  // The connector's or appliance's id in endpoint-response.
  @IsUUID() connectorId: string;
  @IsIn(SENSOR_PRODUCTS) product: SensorProductCode;
  @IsString() @MaxLength(2048) baseUrl: string;
  // The vendor's message, as stored in lastError.
  @IsString() @MaxLength(1000) message: string;
  @IsISO8601() at: string;
}

export const EndpointIsolated = defineEvent('response.isolation.isolated.v1', 'RESPONSE', IsolationOutcomeBody);
export const EndpointIsolationFailed = defineEvent('response.isolation.failed.v1', 'RESPONSE', IsolationOutcomeBody);
export const EndpointReleased = defineEvent('response.isolation.released.v1', 'RESPONSE', IsolationOutcomeBody);
export const EndpointsCounted = defineEvent('response.endpoints.counted.v1', 'RESPONSE', EndpointsCountedBody);
export const EndpointChanged = defineEvent('response.endpoint.changed.v1', 'RESPONSE', EndpointChangedBody);
export const DetectionPulled = defineEvent('response.detection.pulled.v1', 'RESPONSE', DetectionPulledBody);
export const ConnectorUnhealthy = defineEvent('response.connector.unhealthy.v1', 'RESPONSE', ConnectorUnhealthyBody);
