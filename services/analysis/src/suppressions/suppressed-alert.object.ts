import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AlertRef } from '@kanshi/events';
import { connectionOf } from '@kanshi/platform';

@ObjectType('SuppressedAlert', { description: 'An alert a suppression silenced; it is kept and visible, never deleted' })
export class SuppressedAlertObject {
  @Field(() => AlertRef, { description: 'The alert (served by ingestion, with its own tenant rules)' }) alert: AlertRef;
  @Field(() => ID, { description: 'The customer whose alert it is' }) customerId: string;
  @Field({ description: 'When analysis silenced it' }) suppressedAt: Date;
}

export const SuppressedAlertConnection = connectionOf(SuppressedAlertObject, 'SuppressedAlert');
