import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('SlaPause', { description: 'A period the SLA clocks were held while waiting for the customer' })
export class SlaPauseObject {
  @Field({ description: 'When the pause began' }) startedAt: Date;
  @Field(() => Date, { nullable: true, description: 'When the clocks resumed; null while paused' }) endedAt: Date | null;
  @Field({ description: 'Why the clocks were paused' }) reason: string;
}
