import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { defineEvent } from './envelope';
import { SOC_SEVERITIES, SocSeverity } from './severity';

// An incident's life, in order; the incident service owns it, its events carry it.
export const INCIDENT_STATUSES = ['NEW', 'TRIAGED', 'NOTIFIED', 'CONTAINED', 'RESOLVED', 'CLOSED'] as const;
export type IncidentStatusValue = (typeof INCIDENT_STATUSES)[number];

export class IncidentChangedBody {
  @IsUUID() incidentId: string;
  @IsIn(SOC_SEVERITIES) severity: SocSeverity;
  @IsIn(INCIDENT_STATUSES) status: IncidentStatusValue;
  @IsString() title: string;
}

// response.isolate / response.release: the incident service asks endpoint-response to act.
export class IsolationCommandBody {
  @IsUUID() isolationId: string;
  @IsUUID() incidentId: string;
  @IsUUID() endpointId: string;
  @IsOptional() @IsString() reason?: string;
}

export const IncidentOpened = defineEvent('incident.incident.opened.v1', 'INCIDENT', IncidentChangedBody);
export const IncidentSeverityConfirmed = defineEvent('incident.incident.severity-confirmed.v1', 'INCIDENT', IncidentChangedBody);
export const IncidentResolved = defineEvent('incident.incident.resolved.v1', 'INCIDENT', IncidentChangedBody);
export const IsolationRequested = defineEvent('incident.isolation.requested.v1', 'INCIDENT', IsolationCommandBody);
export const IsolationReleaseRequested = defineEvent('incident.isolation.release-requested.v1', 'INCIDENT', IsolationCommandBody);
