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
  @Field(() => SensorProduct) product: string;
  @Field({ description: 'https, udp, tcp, tls or smtp' }) transport: string;
  @Field({ description: 'alert, or event for other logs' }) kind: string;
  @Field(() => Int) severityScore: number;
  @Field({ description: 'The record as received, decoded to text' }) raw: string;
}

export const RawEventConnection = connectionOf(RawEventObject, 'RawEvent');
