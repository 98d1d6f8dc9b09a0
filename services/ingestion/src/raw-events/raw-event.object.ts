import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { connectionOf } from '@kanshi/platform';
import { SensorProduct } from '../sensors/sensor.object';

@ObjectType('RawEvent', { description: "One record as a sensor sent it, kept for the customer's log retention period (3 months by default). Provider staff only." })
export class RawEventObject {
  @Field(() => ID, { description: "The raw event's id" }) id: string;
  @Field({ description: 'When Kanshi received it (UTC instant)' }) receivedAt: Date;
  @Field({ description: "When it happened, by the device's clock read in its time zone (UTC instant)" }) occurredAt: Date;
  @Field(() => ID, { description: 'The customer whose sensor sent it' }) customerId: string;
  @Field(() => ID, { description: 'The sensor that sent it' }) sensorId: string;
  @Field(() => SensorProduct, { description: 'The product of the sensor' }) product: SensorProduct;
  @Field({ description: 'https, udp, tcp, tls or smtp' }) transport: string;
  @Field({ description: 'alert, or event for other logs' }) kind: string;
  @Field(() => Int, { description: 'ECS event.severity: 0 info, 21 low, 47 medium, 73 high, 99 critical (0 for logs without one)' }) severityScore: number;
  @Field({ description: 'The record as received, decoded to text' }) raw: string;
  @Field(() => String, {
    nullable: true,
    description: 'The bytes exactly as the device sent them, base64, when they differ from raw (a Shift_JIS, EUC-JP or ISO-2022-JP device); null when raw is what was sent',
  })
  rawBase64: string | null;
}

export const RawEventConnection = connectionOf(RawEventObject, 'RawEvent');
