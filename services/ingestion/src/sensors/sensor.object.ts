import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, SENSOR_PRODUCTS, SensorProductCode, SensorStatus } from '@kanshi/events';

// The products a sensor can be: the one list in @kanshi/events (contracts' monitored products too).
export const SensorProduct = enumOf(SENSOR_PRODUCTS);
export type SensorProduct = SensorProductCode;
registerEnumType(SensorProduct, { name: 'SensorProduct' });
registerEnumType(SensorStatus, { name: 'SensorStatus' });

@ObjectType('Sensor')
@Directive('@key(fields: "id")')
export class SensorObject {
  @Field(() => ID) id: string;
  @Field(() => ID) customerId: string;
  @Field(() => SensorProduct) product: SensorProduct;
  @Field() name: string;
  @Field(() => SensorStatus) status: SensorStatus;
  @Field({ nullable: true }) lastSeenAt?: Date;
  @Field({ nullable: true, description: 'When the status last changed between UP and DOWN' }) statusChangedAt?: Date;
  @Field({ nullable: true, description: 'When the first event (not heartbeat) arrived' }) firstEventAt?: Date;
  @Field() tokenRotatedAt: Date;
  @Field(() => [String]) allowedSourceIps: string[];
  @Field(() => [String]) allowedSenders: string[];
  @Field(() => Int) heartbeatIntervalSeconds: number;
  @Field(() => Int) silenceThresholdSeconds: number;
  @Field() timeZone: string;
  @Field({ nullable: true }) revokedAt?: Date;
  @Field() createdAt: Date;
}

@ObjectType('SensorRegistration')
export class SensorRegistrationObject {
  @Field(() => SensorObject) sensor: SensorObject;
  @Field({ description: 'Shown once; Kanshi keeps only its hash' }) ingestToken: string;
}
