import { Field, ObjectType } from '@nestjs/graphql';
import { AlertRef } from '@kanshi/events';
import { connectionOf } from '@kanshi/platform';

@ObjectType('AlertGroupMember', { description: 'An alert in an alert group' })
export class AlertGroupMemberObject {
  @Field(() => AlertRef, { description: 'The alert (served by ingestion, with its own tenant rules)' }) alert: AlertRef;
  @Field({ description: 'When analysis put it in the group' }) addedAt: Date;
}

export const AlertGroupMemberConnection = connectionOf(AlertGroupMemberObject, 'AlertGroupMember');
