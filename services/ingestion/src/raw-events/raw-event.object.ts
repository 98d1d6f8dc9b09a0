import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { connectionOf } from '@kanshi/platform';
import { SensorProduct } from '../sensors/sensor.object';

@ObjectType('RawEvent')
export class RawEventObject {
  @Field(() => ID) id: string;
  @Field() receivedAt: Date;
  @Field() occurredAt: Date;
  @Field(() => ID) customerId: string;
  @Field(() => ID) sensorId: string;
  @Field(() => SensorProduct) product: SensorProduct;
  @Field({ description: 'https, udp, tcp, tls or smtp' }) transport: string;
  @Field({ description: 'alert, or event for other logs' }) kind: string;
  @Field(() => Int) severityScore: number;
  @Field({ description: 'The record as received, decoded to text' }) raw: string;
  @Field(() => String, {
    nullable: true,
    description: 'The bytes exactly as the device sent them, base64, when they differ from raw (a Shift_JIS, EUC-JP or ISO-2022-JP device); null when raw is what was sent',
  })
  rawBase64: string | null;
}

export const RawEventConnection = connectionOf(RawEventObject, 'RawEvent');
