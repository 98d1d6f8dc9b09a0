import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';
import { connectionOf } from '@kanshi/platform';
import { SensorProduct } from '../sensors/sensor.object';

export const QUARANTINE_STATUSES = ['QUARANTINED', 'REPLAYED'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];
export const QuarantineStatus = enumOf(QUARANTINE_STATUSES);
registerEnumType(QuarantineStatus, {
  name: 'QuarantineStatus',
  description: 'Whether a quarantined record is still waiting',
  valuesMap: {
    QUARANTINED: { description: 'Not accepted yet; can be replayed' },
    REPLAYED: { description: 'Replayed and accepted; its events are stored' },
  } satisfies Record<QuarantineStatus, { description: string }>,
});

@ObjectType('QuarantineEntry', { description: 'Bytes a sensor sent that Kanshi could not accept (unparseable, unattributed or too large), kept so they can be replayed once the parsers accept them. Provider staff only.' })
export class QuarantineEntryObject {
  @Field(() => ID, { description: "The entry's id" }) id: string;
  @Field({ description: 'When the bytes arrived (UTC instant)' }) receivedAt: Date;
  @Field(() => ID, { nullable: true, description: 'null when the source could not be attributed to a sensor' }) sensorId: string | null;
  @Field(() => ID, { nullable: true, description: 'The customer of the sensor; null when not attributed to a sensor' }) customerId: string | null;
  @Field(() => SensorProduct, { nullable: true, description: 'The product of the sensor; null when not attributed to a sensor' }) product: SensorProduct | null;
  @Field({ description: 'How the bytes came in: https, udp, tcp, tls or smtp' }) transport: string;
  @Field(() => String, { nullable: true, description: 'The address the bytes came from; null when unknown' }) remoteAddress: string | null;
  @Field({ description: "Why it was not accepted (the parser's reason)" }) reason: string;
  @Field(() => QuarantineStatus, { description: 'Whether the record is still quarantined or has been replayed' }) status: QuarantineStatus;
  @Field(() => Int, { description: 'Size of the record as received, in bytes' }) sizeBytes: number;
  @Field({ description: 'The bytes decoded as text (Shift_JIS and other device charsets included), at most 256 KiB' }) rawText: string;
  @Field({ description: 'The bytes exactly as received, at most 256 KiB of them' }) rawBase64: string;
  @Field({ description: 'rawText and rawBase64 hold only the first 256 KiB' }) rawTruncated: boolean;
  @Field(() => Int, { description: 'How many times a replay was tried' }) replayAttempts: number;
  @Field(() => Date, { nullable: true, description: 'When a replay was last tried (UTC instant); null if never' }) lastReplayedAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'Events stored when a replay succeeded; null until then' }) replayedEventCount: number | null;
}

export const QuarantineEntryConnection = connectionOf(QuarantineEntryObject, 'QuarantineEntry');

@ObjectType('QuarantineReplay', { description: 'The outcome of replaying one quarantined record' })
export class QuarantineReplayObject {
  @Field(() => QuarantineEntryObject, { description: 'The quarantine entry after the attempt' }) entry: QuarantineEntryObject;
  @Field({ description: 'The parsers accept it now; its events are stored' }) accepted: boolean;
  @Field(() => Int, { description: 'Events stored from the record (0 when still refused)' }) events: number;
  @Field(() => String, { nullable: true, description: 'Why it is still refused' }) reason: string | null;
}

@ObjectType('QuarantineReplaySummary', { description: "The outcome of replaying a sensor's quarantined records" })
export class QuarantineReplaySummaryObject {
  @Field(() => Int, { description: 'Records tried' }) attempted: number;
  @Field(() => Int, { description: 'Records the parsers accepted and stored' }) accepted: number;
  @Field(() => Int, { description: 'Records still refused' }) stillQuarantined: number;
}
