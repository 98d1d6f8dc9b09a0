import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf } from '@kanshi/events';
import { connectionOf } from '@kanshi/platform';
import { SensorProduct } from '../sensors/sensor.object';

export const QUARANTINE_STATUSES = ['QUARANTINED', 'REPLAYED'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];
export const QuarantineStatus = enumOf(QUARANTINE_STATUSES);
registerEnumType(QuarantineStatus, { name: 'QuarantineStatus' });

@ObjectType('QuarantineEntry')
export class QuarantineEntryObject {
  @Field(() => ID) id: string;
  @Field() receivedAt: Date;
  @Field(() => ID, { nullable: true, description: 'null when the source could not be attributed to a sensor' }) sensorId: string | null;
  @Field(() => ID, { nullable: true }) customerId: string | null;
  @Field(() => SensorProduct, { nullable: true }) product: SensorProduct | null;
  @Field() transport: string;
  @Field(() => String, { nullable: true }) remoteAddress: string | null;
  @Field({ description: "Why it was not accepted (the parser's reason)" }) reason: string;
  @Field(() => QuarantineStatus) status: QuarantineStatus;
  @Field(() => Int) sizeBytes: number;
  @Field({ description: 'The bytes decoded as text (Shift_JIS and other device charsets included), at most 256 KiB' }) rawText: string;
  @Field({ description: 'The bytes exactly as received, at most 256 KiB of them' }) rawBase64: string;
  @Field({ description: 'rawText and rawBase64 hold only the first 256 KiB' }) rawTruncated: boolean;
  @Field(() => Int) replayAttempts: number;
  @Field(() => Date, { nullable: true }) lastReplayedAt: Date | null;
  @Field(() => Int, { nullable: true }) replayedEventCount: number | null;
}

export const QuarantineEntryConnection = connectionOf(QuarantineEntryObject, 'QuarantineEntry');

@ObjectType('QuarantineReplay')
export class QuarantineReplayObject {
  @Field(() => QuarantineEntryObject) entry: QuarantineEntryObject;
  @Field({ description: 'The parsers accept it now; its events are stored' }) accepted: boolean;
  @Field(() => Int) events: number;
  @Field(() => String, { nullable: true, description: 'Why it is still refused' }) reason: string | null;
}

@ObjectType('QuarantineReplaySummary')
export class QuarantineReplaySummaryObject {
  @Field(() => Int) attempted: number;
  @Field(() => Int) accepted: number;
  @Field(() => Int) stillQuarantined: number;
}
