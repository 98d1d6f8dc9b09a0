import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { connectionOf } from '@kanshi/platform';

export enum Severity {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}
export enum IncidentStatus {
  NEW = 'NEW',
  TRIAGED = 'TRIAGED',
  NOTIFIED = 'NOTIFIED',
  CONTAINED = 'CONTAINED',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
}
registerEnumType(Severity, { name: 'Severity' });
registerEnumType(IncidentStatus, { name: 'IncidentStatus' });

@ObjectType('Incident')
@Directive('@key(fields: "id")')
export class IncidentObject {
  @Field(() => ID) id: string;
  @Field(() => ID) customerId: string;
  @Field(() => Severity) severity: string;
  @Field(() => IncidentStatus) status: string;
  @Field() title: string;
  @Field() description: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export const IncidentConnection = connectionOf(IncidentObject, 'Incident');
