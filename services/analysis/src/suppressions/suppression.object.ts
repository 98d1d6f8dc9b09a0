import { Field, ID, ObjectType } from '@nestjs/graphql';
import { SuppressionConditionObject } from './suppression-condition.object';

@ObjectType('Suppression', {
  description:
    'A rule that silences known noise for a time window: matching alerts get no verdict action but are counted and kept, never deleted. Global (all customers) or one customer’s; a customer sees its own and the reason and window of global ones.',
})
export class SuppressionObject {
  @Field(() => ID, { description: 'Suppression id' }) id: string;
  @Field(() => ID, { nullable: true, description: 'The customer it applies to; null for every customer (global, provider staff only)' }) customerId: string | null;
  @Field(() => [SuppressionConditionObject], { nullable: true, description: 'The conditions an alert must all meet; null on a global suppression seen by a partner or customer' })
  match: SuppressionConditionObject[] | null;
  @Field({ description: 'When it starts silencing' }) from: Date;
  @Field({ description: 'When it stops silencing (at most 90 days after it was created; ending it early moves this to the time it was ended)' }) until: Date;
  @Field({ description: 'Why the alerts are noise' }) reason: string;
  @Field(() => String, { nullable: true, description: 'Who created it (the principal’s subject); null on a global suppression seen by a partner or customer' }) owner: string | null;
  @Field({ description: 'When it was created' }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When someone ended it early; null otherwise' }) endedAt: Date | null;
  @Field({ description: 'Whether it silences alerts now' }) active: boolean;
}
