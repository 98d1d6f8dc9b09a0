import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { defineEvent } from './envelope';
import { SOC_SEVERITIES, SocSeverity } from './severity';

export class IncidentChangedBody {
  @IsUUID() incidentId: string;
  @IsIn(SOC_SEVERITIES) severity: SocSeverity;
  @IsIn(['NEW', 'TRIAGED', 'NOTIFIED', 'CONTAINED', 'RESOLVED', 'CLOSED']) status: string;
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
