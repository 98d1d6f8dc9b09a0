import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('DutyShift', { description: 'Someone on duty for a period, at tier 1 (engineers) or tier 2 (analysts)' })
export class DutyShiftObject {
  @Field(() => ID, { description: 'Shift id' }) id: string;
  @Field(() => Int, { description: '1: engineer (first response); 2: analyst (second response)' }) tier: number;
  @Field({ description: 'Who (the user id incidents are assigned to)' }) person: string;
  @Field({ description: 'Their name, for people' }) name: string;
  @Field({ description: 'Start of the shift' }) startsAt: Date;
  @Field({ description: 'End of the shift (exclusive)' }) endsAt: Date;
}
