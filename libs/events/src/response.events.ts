import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { defineEvent } from './envelope';

export class IsolationOutcomeBody {
  @IsUUID() isolationId: string;
  @IsUUID() incidentId: string;
  @IsUUID() endpointId: string;
  @IsOptional() @IsString() error?: string;
}

// The number of managed endpoints on one day; contracts bills MDR on the month's highest count.
export class EndpointsCountedBody {
  @IsISO8601() date: string;
  @IsInt() @Min(0) count: number;
}

export const EndpointIsolated = defineEvent('response.isolation.isolated.v1', 'RESPONSE', IsolationOutcomeBody);
export const EndpointIsolationFailed = defineEvent('response.isolation.failed.v1', 'RESPONSE', IsolationOutcomeBody);
export const EndpointReleased = defineEvent('response.isolation.released.v1', 'RESPONSE', IsolationOutcomeBody);
export const EndpointsCounted = defineEvent('response.endpoints.counted.v1', 'RESPONSE', EndpointsCountedBody);
