import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';
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

// A security incident comes from verdicts; an availability incident from a sensor going DOWN.
export const INCIDENT_KINDS = ['SECURITY', 'AVAILABILITY'] as const;
export type IncidentKindValue = (typeof INCIDENT_KINDS)[number];

// The three SLA clocks (issue 11): analysis (30 min, or next business day on the business-hours
// plan), the MDR first report (60 min after confirmSeverity), the detailed report (17:30 next business day).
export const SLA_CLOCKS = ['ANALYSIS', 'FIRST_REPORT', 'DETAILED_REPORT'] as const;
export type SlaClockValue = (typeof SLA_CLOCKS)[number];

// The editions of an incident's analysis report (調査報告書): the quick first one and the detailed one.
export const ANALYSIS_REPORT_EDITIONS = ['FIRST', 'DETAILED'] as const;
export type AnalysisReportEdition = (typeof ANALYSIS_REPORT_EDITIONS)[number];

export class SlaClockSnapshot {
  @IsIn(SLA_CLOCKS) clock: SlaClockValue;
  @IsISO8601() dueAt: string;
  // When the clock stopped on its named event; null while running.
  @IsOptional() @IsISO8601() metAt: string | null;
  @IsBoolean() breached: boolean;
}

export class TimelineEntrySnapshot {
  @IsISO8601() at: string;
  @IsString() kind: string;
  @IsString() actor: string;
  @IsString() text: string;
}

// What analysts wrote: what is happening, how dangerous it is, what to do (the analysis report's
// three sections), in the customer's language.
export class IncidentFindingsSnapshot {
  @IsOptional() @IsString() whatIsHappening: string | null;
  @IsOptional() @IsString() howDangerous: string | null;
  @IsOptional() @IsString() whatToDo: string | null;
}

// The whole incident as it is now, published on every change (issue 11). Consumers (reporting,
// webhooks) keep the latest per incidentId by `version`. The customer is the envelope's customerId.
export class IncidentUpdatedBody {
  @IsUUID() incidentId: string;
  @IsInt() @Min(1) version: number;
  @IsIn(INCIDENT_KINDS) kind: IncidentKindValue;
  @IsIn(SOC_SEVERITIES) severity: SocSeverity;
  @IsIn(INCIDENT_STATUSES) status: IncidentStatusValue;
  @IsString() title: string;
  @IsISO8601() openedAt: string;
  @IsOptional() @IsISO8601() resolvedAt: string | null;
  @IsOptional() @IsUUID() groupId: string | null;
  @IsOptional() @IsUUID() sensorId: string | null;
  @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true }) verdictIds: string[];
  @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true }) alertIds: string[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => SlaClockSnapshot) sla: SlaClockSnapshot[];
  @ValidateNested() @Type(() => IncidentFindingsSnapshot) findings: IncidentFindingsSnapshot;
  // The latest entries, oldest first (at most 500).
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => TimelineEntrySnapshot) timeline: TimelineEntrySnapshot[];
}

export class SlaBreachedBody {
  @IsUUID() incidentId: string;
  @IsIn(SLA_CLOCKS) clock: SlaClockValue;
  @IsISO8601() dueAt: string;
  @IsISO8601() detectedAt: string;
}

// Incident asks reporting for an analysis report. `approvedBy` is set when a tier-2 analyst
// approved the edition: only then does reporting e-mail it to `recipients` (and publish
// reporting.report.sent). Without approval it is a draft for the analysts.
export class AnalysisReportRequestedBody {
  @IsUUID() requestId: string;
  @IsUUID() incidentId: string;
  @IsIn(ANALYSIS_REPORT_EDITIONS) edition: AnalysisReportEdition;
  @IsOptional() @IsString() approvedBy: string | null;
  @IsIn(['ja', 'en']) language: 'ja' | 'en';
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) recipients: string[];
}

// Maintenance windows (version upgrades, device replacement): availability incidents are
// suppressed inside one; reports list them. `cancelled` withdraws a window. A window is the
// customer's (`sensorId` null: every sensor of it) or one sensor's; the customer is the envelope's.
export const MAINTENANCE_REASONS = ['VERSION_UPGRADE', 'DEVICE_REPLACEMENT', 'OTHER'] as const;
export type MaintenanceReasonValue = (typeof MAINTENANCE_REASONS)[number];

export class MaintenanceWindowChangedBody {
  @IsUUID() windowId: string;
  @IsOptional() @IsUUID() sensorId: string | null;
  @IsISO8601() startsAt: string;
  @IsISO8601() endsAt: string;
  // One of MAINTENANCE_REASONS from the incident service (older events: free text).
  @IsString() reason: string;
  @IsBoolean() cancelled: boolean;
  // Added with issue 11 item 5: the engineer's note, and the work order that made the window.
  @IsOptional() @IsString() note?: string | null;
  @IsOptional() @IsUUID() workOrderId?: string | null;
}

export const WORK_ORDER_KINDS = ['VERSION_UPGRADE', 'HARDWARE_REPLACEMENT'] as const;
export type WorkOrderKindValue = (typeof WORK_ORDER_KINDS)[number];
export const WORK_ORDER_OUTCOMES = ['DONE', 'FAILED', 'CANCELLED'] as const;
export type WorkOrderOutcomeValue = (typeof WORK_ORDER_OUTCOMES)[number];

// An upgrade or hardware replacement work order (planned window, engineer, outcome), published
// when it is recorded and again when its outcome is (consumers keep the latest by event time).
export class WorkOrderRecordedBody {
  @IsUUID() workOrderId: string;
  @IsUUID() sensorId: string;
  @IsIn(WORK_ORDER_KINDS) kind: WorkOrderKindValue;
  @IsISO8601() plannedStart: string;
  @IsISO8601() plannedEnd: string;
  @IsString() engineer: string;
  // DONE, FAILED or CANCELLED once recorded (older events: free text); null while planned.
  @IsOptional() @IsString() outcome: string | null;
  @IsOptional() @IsISO8601() completedAt: string | null;
  // Added with issue 11 item 5: versions of an upgrade, serials of a replacement, the outcome's
  // notes, and the maintenance window the work order made.
  @IsOptional() @IsString() fromVersion?: string | null;
  @IsOptional() @IsString() toVersion?: string | null;
  @IsOptional() @IsString() oldSerial?: string | null;
  @IsOptional() @IsString() newSerial?: string | null;
  @IsOptional() @IsString() notes?: string | null;
  @IsOptional() @IsUUID() windowId?: string | null;
}

// response.isolate / response.release: the incident service asks endpoint-response to act.
export class IsolationCommandBody {
  @IsUUID() isolationId: string;
  @IsUUID() incidentId: string;
  @IsUUID() endpointId: string;
  @IsOptional() @IsString() reason?: string;
  // Who asked (an analyst's sub, a customer's sub, or "system:auto-isolation"), added with issue 11.
  @IsOptional() @IsString() requestedBy?: string;
}

export const IncidentOpened = defineEvent('incident.incident.opened.v1', 'INCIDENT', IncidentChangedBody);
export const IncidentSeverityConfirmed = defineEvent('incident.incident.severity-confirmed.v1', 'INCIDENT', IncidentChangedBody);
export const IncidentResolved = defineEvent('incident.incident.resolved.v1', 'INCIDENT', IncidentChangedBody);
export const IsolationRequested = defineEvent('incident.isolation.requested.v1', 'INCIDENT', IsolationCommandBody);
export const IsolationReleaseRequested = defineEvent('incident.isolation.release-requested.v1', 'INCIDENT', IsolationCommandBody);
export const IncidentUpdated = defineEvent('incident.incident.updated.v1', 'INCIDENT', IncidentUpdatedBody);
export const IncidentSlaBreached = defineEvent('incident.incident.sla-breached.v1', 'INCIDENT', SlaBreachedBody);
export const AnalysisReportRequested = defineEvent('incident.analysis-report.requested.v1', 'INCIDENT', AnalysisReportRequestedBody);
export const MaintenanceWindowChanged = defineEvent('incident.maintenance-window.changed.v1', 'INCIDENT', MaintenanceWindowChangedBody);
export const WorkOrderRecorded = defineEvent('incident.work-order.recorded.v1', 'INCIDENT', WorkOrderRecordedBody);
