import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum SensorProduct {
  FIREEYE_NX = 'FIREEYE_NX',
  FIREEYE_EX = 'FIREEYE_EX',
  FIREEYE_CM = 'FIREEYE_CM',
  FIREEYE_HX = 'FIREEYE_HX',
  FORTIGATE = 'FORTIGATE',
  FORTIWEB = 'FORTIWEB',
  PALO_ALTO = 'PALO_ALTO',
  IMPERVA_SECURESPHERE = 'IMPERVA_SECURESPHERE',
  SYMANTEC_SEP = 'SYMANTEC_SEP',
  TREND_MICRO = 'TREND_MICRO',
  CROWDSTRIKE_FALCON = 'CROWDSTRIKE_FALCON',
  CYBEREASON = 'CYBEREASON',
  CARBON_BLACK = 'CARBON_BLACK',
  GENERIC_CEF = 'GENERIC_CEF',
  GENERIC_JSON = 'GENERIC_JSON',
}
export enum SensorStatus {
  UP = 'UP',
  DOWN = 'DOWN',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(SensorProduct, { name: 'SensorProduct' });
registerEnumType(SensorStatus, { name: 'SensorStatus' });

@ObjectType('Sensor')
@Directive('@key(fields: "id")')
export class SensorObject {
  @Field(() => ID) id: string;
  @Field(() => ID) customerId: string;
  @Field(() => SensorProduct) product: string;
  @Field() name: string;
  @Field(() => SensorStatus) status: string;
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
