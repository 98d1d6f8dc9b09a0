import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ALERT_SEVERITIES, AlertSeverityLevel, enumOf } from '@kanshi/events';
import { connectionOf } from '@kanshi/platform';
import { SensorObject, SensorProduct } from '../sensors/sensor.object';

// The normalized severity of an alert (ECS event.severity 0/21/47/73/99). Named apart from
// incident's Severity, which is an analyst's decision, not a vendor's. Defined in @kanshi/events.
export const AlertSeverity = enumOf(ALERT_SEVERITIES);
export type AlertSeverity = AlertSeverityLevel;
registerEnumType(AlertSeverity, {
  name: 'AlertSeverity',
  description: "An alert's severity as the vendor rated it, normalized to ECS event.severity bands; the SOC's own severity of an incident is a different thing",
  valuesMap: {
    INFO: { description: 'Informational: score 0-20' },
    LOW: { description: 'Low: score 21-46' },
    MEDIUM: { description: 'Medium: score 47-72' },
    HIGH: { description: 'High: score 73-98' },
    CRITICAL: { description: 'Critical: score 99' },
  } satisfies Record<AlertSeverity, { description: string }>,
});

@ObjectType('Alert', { description: "An alert a sensor reported, normalized to ECS. Repeats of the same vendor alert count on one Alert. Provider staff see every alert, a partner its customers', a customer its own." })
@Directive('@key(fields: "id")')
export class AlertObject {
  @Field(() => ID, { description: "The alert's id" }) id: string;
  @Field(() => SensorObject, { description: 'The sensor that reported it' }) sensor?: SensorObject;
  @Field(() => ID, { description: 'The sensor that reported it' }) sensorId: string;
  @Field(() => ID, { description: 'The customer whose sensor reported it' }) customerId: string;
  @Field({ description: 'When the alert was first received' }) receivedAt: Date;
  @Field({ description: 'When it was last received (repeats)' }) lastReceivedAt: Date;
  @Field({ description: "When it happened, by the device's clock read in its time zone" }) occurredAt: Date;
  @Field(() => SensorProduct, { description: 'The product of the sensor' }) product: SensorProduct;
  @Field({ description: "The vendor's id of the alert (FireEye alert id, CrowdStrike composite id, FortiGate device:log id:time...), or the alert's identity when the vendor gives none; an alert is one detection: only a replay of the same record adds to repeatCount" }) vendorEventId: string;
  @Field(() => String, { nullable: true, description: "The vendor's name of the rule or signature that fired; null when the record has none" }) ruleName: string | null;
  @Field(() => String, { nullable: true, description: 'The severity as the vendor wrote it (e.g. majr, 5, high); null when the record has none' }) vendorSeverity: string | null;
  @Field(() => AlertSeverity, { description: "The vendor severity normalized to five levels (not the SOC's severity of an incident)" }) severity: AlertSeverity;
  @Field(() => Int, { description: 'ECS event.severity: 0 info, 21 low, 47 medium, 73 high, 99 critical' }) severityScore: number;
  @Field(() => Boolean, { nullable: true, description: 'Whether the sensor prevented the activity' }) blocked: boolean | null;
  @Field(() => String, { nullable: true, description: "The vendor's grouping key (incident serial, detection id, malop guid, threat id)" }) groupKey: string | null;
  @Field(() => String, { nullable: true, description: 'Host name of the affected machine; null when unknown' }) hostName: string | null;
  @Field(() => String, { nullable: true, description: 'IP address of the affected machine; null when unknown' }) hostIp: string | null;
  @Field(() => String, { nullable: true, description: 'Source IP address of the activity; null when unknown' }) sourceIp: string | null;
  @Field(() => String, { nullable: true, description: 'Destination IP address of the activity; null when unknown' }) destinationIp: string | null;
  @Field(() => String, { nullable: true, description: 'The user involved; null when unknown' }) userName: string | null;
  @Field(() => String, { nullable: true, description: 'The file involved; null when none' }) fileName: string | null;
  @Field(() => String, { nullable: true, description: 'Hash of the file involved as the vendor gave it (MD5, SHA-1 or SHA-256); null when none' }) fileHash: string | null;
  @Field(() => GraphQLJSON, { description: 'The whole normalized record, ECS field names' }) ecs: Record<string, unknown>;
  @Field({ description: "The original record as text (decoded from the device's charset)" }) raw: string;
  @Field(() => Int, { description: 'How many times the vendor reported this alert (1 the first time)' }) repeatCount: number;
}

export const AlertConnection = connectionOf(AlertObject, 'Alert');
