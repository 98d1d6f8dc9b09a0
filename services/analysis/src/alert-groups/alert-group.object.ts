import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, SocSeverity } from '@kanshi/events';
import { connectionOf, SocSeverityEnum } from '@kanshi/platform';
import { ALERT_GROUP_STATUS_MEANINGS, ALERT_GROUP_STATUSES, AlertGroupStatusValue } from './alert-group-statuses';

// The SOC's severity: one registration for every subgraph (libs/platform).
export const Severity = SocSeverityEnum;

export const AlertGroupStatus = enumOf(ALERT_GROUP_STATUSES);
registerEnumType(AlertGroupStatus, {
  name: 'AlertGroupStatus',
  description: 'Whether related alerts still join an alert group',
  valuesMap: Object.fromEntries(ALERT_GROUP_STATUSES.map((s) => [s, { description: ALERT_GROUP_STATUS_MEANINGS[s] }])),
});

@ObjectType('AlertGroup', {
  description: "Related alerts of one customer: the vendor's grouping key, or the same rule on the same host within the window, or a host or IOC shared with an open group. Customers see their own, partners their customers'.",
})
export class AlertGroupObject {
  @Field(() => ID, { description: 'Group id' }) id: string;
  @Field(() => ID, { description: 'The customer whose alerts these are' }) customerId: string;
  @Field(() => AlertGroupStatus, { description: 'OPEN while related alerts may join, CLOSED after the window passes with no new alert or when an analyst closes it' }) status: AlertGroupStatusValue;
  @Field(() => Severity, { nullable: true, description: "The highest SOC severity analysis gave one of its alerts; null until one has a verdict" }) severity: SocSeverity | null;
  @Field({ description: 'What the group is about: the first alert\'s rule and host' }) title: string;
  @Field({ description: 'When the earliest alert of the group happened' }) firstSeenAt: Date;
  @Field({ description: 'When the latest alert of the group happened' }) lastSeenAt: Date;
  @Field(() => Int, { description: 'How many alerts the group holds (a redelivered alert counts once)' }) alertCount: number;
  @Field(() => [String], { description: 'Host names (lower case) and IP addresses of the affected machines, first seen first (at most 200)' }) hosts: string[];
  @Field(() => [String], { description: 'Indicator values the alerts hit, first seen first (at most 200)' }) iocValues: string[];
  @Field(() => Date, { nullable: true, description: 'When it closed (an analyst, or a window after its last alert joined); null while open' }) closedAt: Date | null;
}

export const AlertGroupConnection = connectionOf(AlertGroupObject, 'AlertGroup');
