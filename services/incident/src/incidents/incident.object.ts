import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CustomerRef, enumOf, INCIDENT_KINDS, INCIDENT_STATUSES, IncidentKindValue, IncidentStatusValue, SocSeverity } from '@kanshi/events';
import { connectionOf, SocSeverityEnum } from '@kanshi/platform';
import { INCIDENT_DISPOSITIONS, IncidentDispositionValue } from './incident.entity';

// Both lists live in libs/events: incident events carry them to other services.
export const Severity = SocSeverityEnum;

const STATUS_MEANINGS: Record<IncidentStatusValue, string> = {
  NEW: 'Opened, severity not yet confirmed by an analyst',
  TRIAGED: 'An analyst confirmed the severity',
  NOTIFIED: 'The customer has been notified',
  CONTAINED: 'The threat is contained (for example the endpoint is isolated)',
  RESOLVED: 'Resolved, with a summary of the findings',
  CLOSED: 'Closed; nothing more happens on it',
};
export const IncidentStatus = enumOf(INCIDENT_STATUSES);
registerEnumType(IncidentStatus, {
  name: 'IncidentStatus',
  description: 'Where an incident is in its life, in order',
  valuesMap: Object.fromEntries(INCIDENT_STATUSES.map((s) => [s, { description: STATUS_MEANINGS[s] }])),
});

export const IncidentKind = enumOf(INCIDENT_KINDS);
registerEnumType(IncidentKind, {
  name: 'IncidentKind',
  description: 'What raised the incident',
  valuesMap: { SECURITY: { description: 'Verdicts on alerts' }, AVAILABILITY: { description: 'A sensor stopped being heard from (liveness DOWN)' } },
});

export const IncidentDisposition = enumOf(INCIDENT_DISPOSITIONS);
registerEnumType(IncidentDisposition, {
  name: 'IncidentDisposition',
  description: 'Why an incident was closed without being worked',
  valuesMap: { DUPLICATE: { description: 'Another incident covers the same thing' }, FALSE_POSITIVE: { description: 'Nothing malicious happened' } },
});

@ObjectType('Incident', { description: 'A security incident at one customer, from detection to closure' })
@Directive('@key(fields: "id")')
export class IncidentObject {
  @Field(() => ID, { description: 'Incident id' }) id: string;
  @Field(() => ID, { description: 'The customer it happened at' }) customerId: string;
  @Field(() => CustomerRef, { description: 'The customer it happened at' }) customer: CustomerRef;
  @Field(() => IncidentKind, { description: 'Security (from verdicts) or availability (a sensor down)' }) kind: IncidentKindValue;
  @Field(() => Severity, { description: 'The SOC’s severity' }) severity: SocSeverity;
  @Field(() => IncidentStatus, { description: 'Where the incident is in its life' }) status: IncidentStatusValue;
  @Field({ description: 'One-line summary' }) title: string;
  @Field({ description: 'What is known; empty when nothing was written' }) description: string;
  @Field(() => Int, { description: 'Bumped by every change; pass it back as expectedVersion to act only on what you saw' }) version: number;
  @Field(() => ID, { nullable: true, description: 'The alert group it was opened for (one open incident per group)' }) groupId: string | null;
  @Field(() => ID, { nullable: true, description: 'The sensor of an availability incident' }) sensorId: string | null;
  @Field(() => String, { nullable: true, description: 'The tier-1 engineer assigned (first response)' }) tier1Assignee: string | null;
  @Field(() => String, { nullable: true, description: 'The tier-2 analyst assigned (second response)' }) tier2Assignee: string | null;
  @Field(() => Date, { nullable: true, description: 'When it was escalated to tier 2' }) escalatedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When an analyst confirmed the severity' }) severityConfirmedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the customer acknowledged it' }) acknowledgedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'The summary written when it was resolved' }) resolutionSummary: string | null;
  @Field(() => Date, { nullable: true, description: 'When it was resolved' }) resolvedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was closed' }) closedAt: Date | null;
  @Field(() => ID, { nullable: true, description: 'The incident it was merged into (then it is CLOSED)' }) mergedInto: string | null;
  @Field(() => IncidentDisposition, { nullable: true, description: 'Closed as a duplicate or a false positive' }) disposition: IncidentDispositionValue | null;
  @Field(() => String, { nullable: true, description: 'Why it was marked a duplicate or a false positive' }) dispositionReason: string | null;
  @Field(() => ID, { nullable: true, description: 'The incident it duplicates' }) duplicateOf: string | null;
  @Field({ description: 'When it was opened' }) createdAt: Date;
  @Field({ description: 'When it last changed' }) updatedAt: Date;
}

export const IncidentConnection = connectionOf(IncidentObject, 'Incident');
