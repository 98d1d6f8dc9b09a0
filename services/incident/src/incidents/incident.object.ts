import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, INCIDENT_STATUSES, IncidentStatusValue, SocSeverity } from '@kanshi/events';
import { connectionOf, SocSeverityEnum } from '@kanshi/platform';

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

@ObjectType('Incident', { description: 'A security incident at one customer, from detection to closure' })
@Directive('@key(fields: "id")')
export class IncidentObject {
  @Field(() => ID, { description: 'Incident id' }) id: string;
  @Field(() => ID, { description: 'The customer it happened at' }) customerId: string;
  @Field(() => Severity, { description: 'The SOC’s severity' }) severity: SocSeverity;
  @Field(() => IncidentStatus, { description: 'Where the incident is in its life' }) status: IncidentStatusValue;
  @Field({ description: 'One-line summary' }) title: string;
  @Field({ description: 'What is known; empty when nothing was written' }) description: string;
  @Field({ description: 'When it was opened' }) createdAt: Date;
  @Field({ description: 'When it last changed' }) updatedAt: Date;
}

export const IncidentConnection = connectionOf(IncidentObject, 'Incident');
