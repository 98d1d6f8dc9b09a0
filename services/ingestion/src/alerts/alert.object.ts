import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ALERT_SEVERITIES, AlertSeverityLevel, enumOf } from '@kanshi/events';
import { connectionOf } from '@kanshi/platform';
import { SensorObject, SensorProduct } from '../sensors/sensor.object';

// The normalized severity of an alert (ECS event.severity 0/21/47/73/99). Named apart from
// incident's Severity, which is an analyst's decision, not a vendor's. Defined in @kanshi/events.
export const AlertSeverity = enumOf(ALERT_SEVERITIES);
export type AlertSeverity = AlertSeverityLevel;
registerEnumType(AlertSeverity, { name: 'AlertSeverity' });

@ObjectType('Alert')
@Directive('@key(fields: "id")')
export class AlertObject {
  @Field(() => ID) id: string;
  @Field(() => SensorObject) sensor?: SensorObject;
  @Field(() => ID) sensorId: string;
  @Field(() => ID) customerId: string;
  @Field({ description: 'When the alert was first received' }) receivedAt: Date;
  @Field({ description: 'When it was last received (repeats)' }) lastReceivedAt: Date;
  @Field({ description: "When it happened, by the device's clock read in its time zone" }) occurredAt: Date;
  @Field(() => SensorProduct) product: SensorProduct;
  @Field({ description: "The vendor's id of the alert; one alert per sensor and vendor id" }) vendorEventId: string;
  @Field(() => String, { nullable: true }) ruleName: string | null;
  @Field(() => String, { nullable: true }) vendorSeverity: string | null;
  @Field(() => AlertSeverity) severity: AlertSeverity;
  @Field(() => Int, { description: 'ECS event.severity: 0 info, 21 low, 47 medium, 73 high, 99 critical' }) severityScore: number;
  @Field(() => Boolean, { nullable: true, description: 'Whether the sensor prevented the activity' }) blocked: boolean | null;
  @Field(() => String, { nullable: true, description: "The vendor's grouping key (incident serial, detection id, malop guid, threat id)" }) groupKey: string | null;
  @Field(() => String, { nullable: true }) hostName: string | null;
  @Field(() => String, { nullable: true }) hostIp: string | null;
  @Field(() => String, { nullable: true }) sourceIp: string | null;
  @Field(() => String, { nullable: true }) destinationIp: string | null;
  @Field(() => String, { nullable: true }) userName: string | null;
  @Field(() => String, { nullable: true }) fileName: string | null;
  @Field(() => String, { nullable: true }) fileHash: string | null;
  @Field(() => GraphQLJSON, { description: 'The whole normalized record, ECS field names' }) ecs: Record<string, unknown>;
  @Field({ description: "The original record as text (decoded from the device's charset)" }) raw: string;
  @Field(() => Int) repeatCount: number;
}

export const AlertConnection = connectionOf(AlertObject, 'Alert');
