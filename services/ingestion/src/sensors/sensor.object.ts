import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, SENSOR_PRODUCTS, SensorProductCode, SensorStatus } from '@kanshi/events';

// The products a sensor can be: the one list in @kanshi/events (contracts' monitored products too).
export const SensorProduct = enumOf(SENSOR_PRODUCTS);
export type SensorProduct = SensorProductCode;
// One description per product: a product added to SENSOR_PRODUCTS fails to typecheck here until
// it is described for partners.
const SENSOR_PRODUCT_DESCRIPTIONS: Record<SensorProductCode, { description: string }> = {
  FIREEYE_NX: { description: 'FireEye NX network security appliance' },
  FIREEYE_EX: { description: 'FireEye EX email security appliance' },
  FIREEYE_CM: { description: 'FireEye Central Management, forwarding the alerts of the appliances it manages' },
  FIREEYE_HX: { description: 'FireEye HX endpoint security (EDR)' },
  FORTIGATE: { description: 'Fortinet FortiGate firewall / UTM (syslog)' },
  FORTIWEB: { description: 'Fortinet FortiWeb web application firewall (syslog)' },
  PALO_ALTO: { description: 'Palo Alto Networks next-generation firewall (syslog)' },
  IMPERVA_SECURESPHERE: { description: 'Imperva SecureSphere web application / database firewall (CEF)' },
  SYMANTEC_SEP: { description: 'Symantec Endpoint Protection Manager (syslog)' },
  TREND_MICRO: { description: 'Trend Micro Apex Central / Deep Security (CEF or LEEF)' },
  CROWDSTRIKE_FALCON: { description: 'CrowdStrike Falcon EDR' },
  CYBEREASON: { description: 'Cybereason EDR' },
  CARBON_BLACK: { description: 'VMware Carbon Black Cloud EDR' },
  GENERIC_CEF: { description: 'Any device sending ArcSight Common Event Format (CEF) over syslog' },
  GENERIC_JSON: { description: 'Any device sending one JSON object per record over HTTPS' },
};
registerEnumType(SensorProduct, { name: 'SensorProduct', description: 'A sensor product Kanshi parses; decides how a sensor\'s records are read', valuesMap: SENSOR_PRODUCT_DESCRIPTIONS });
registerEnumType(SensorStatus, {
  name: 'SensorStatus',
  description: 'Liveness of a sensor (死活監視)',
  valuesMap: {
    UP: { description: 'Heard from (an event or a heartbeat) within its silence threshold' },
    DOWN: { description: 'Silent for longer than its silence threshold' },
    UNKNOWN: { description: 'Not heard from since it was registered' },
  } satisfies Record<SensorStatus, { description: string }>,
});

@ObjectType('Sensor', { description: "A device that sends a customer's alerts and logs to Kanshi (HTTPS, syslog or alert mail). Provider staff see every sensor, a partner its customers', a customer its own." })
@Directive('@key(fields: "id")')
export class SensorObject {
  @Field(() => ID, { description: "The sensor's id; also the path segment of its HTTPS ingest URL" }) id: string;
  @Field(() => ID, { description: 'The customer the sensor belongs to' }) customerId: string;
  @Field(() => SensorProduct, { description: 'The product the sensor is; decides how its records are parsed' }) product: SensorProduct;
  @Field({ description: 'A name the customer knows the device by' }) name: string;
  @Field(() => SensorStatus, { description: 'Liveness: UP while it is heard from, DOWN after silenceThresholdSeconds of silence, UNKNOWN before it is first heard' }) status: SensorStatus;
  @Field({ nullable: true, description: 'When it was last heard from, by an event or a heartbeat (UTC instant); null if never' }) lastSeenAt?: Date;
  @Field({ nullable: true, description: 'When the status last changed between UP and DOWN' }) statusChangedAt?: Date;
  @Field({ nullable: true, description: 'When the first event (not heartbeat) arrived' }) firstEventAt?: Date;
  @Field({ description: 'When its current ingest token was issued (UTC instant)' }) tokenRotatedAt: Date;
  @Field(() => [String], { description: 'Source addresses whose syslog is attributed to this sensor' }) allowedSourceIps: string[];
  @Field(() => [String], { description: 'Mail senders whose alert mail is attributed to this sensor' }) allowedSenders: string[];
  @Field(() => [String], { description: 'SHA-256 fingerprints (AA:BB:...) of the TLS client certificates whose syslog is attributed to this sensor' }) clientCertFingerprints: string[];
  @Field({ description: 'false: syslog over UDP (whose source address anyone can forge) is refused for this sensor' }) acceptUdp: boolean;
  @Field(() => Int, { description: 'Seconds between the heartbeats the device is expected to send' }) heartbeatIntervalSeconds: number;
  @Field(() => Int, { description: 'Seconds without an event or heartbeat after which the sensor is DOWN' }) silenceThresholdSeconds: number;
  @Field({ description: 'IANA time zone of the device clock, used to read its timestamps (e.g. Asia/Tokyo)' }) timeZone: string;
  @Field(() => String, { nullable: true, description: 'The product version (firmware / software) its events report: a CEF or LEEF header’s device version, FireEye’s version, ECS observer.version; null until an event carries one' })
  productVersion?: string | null;
  @Field(() => Date, { nullable: true, description: 'When Kanshi first saw the current productVersion in its events (UTC instant)' }) productVersionSeenAt?: Date | null;
  @Field({ nullable: true, description: 'When it was revoked and its intake stopped (UTC instant); null while in use' }) revokedAt?: Date;
  @Field({ description: 'When it was registered (UTC instant)' }) createdAt: Date;
}

@ObjectType('SensorRegistration', { description: 'A sensor with its newly issued ingest token' })
export class SensorRegistrationObject {
  @Field(() => SensorObject, { description: 'The sensor' }) sensor: SensorObject;
  @Field({ description: 'Shown once; Kanshi keeps only its hash' }) ingestToken: string;
}
