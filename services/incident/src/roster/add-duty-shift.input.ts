import { Field, InputType, Int } from '@nestjs/graphql';
import { IsIn, IsISO8601, IsString, Length } from 'class-validator';

@InputType({ description: 'A shift on the duty roster' })
export class AddDutyShiftInput {
  @Field(() => Int, { description: '1: engineer (first response); 2: analyst (second response)' }) @IsIn([1, 2]) tier: 1 | 2;
  @Field({ description: 'Who (the user id, 1-200 characters)' }) @IsString() @Length(1, 200) person: string;
  @Field({ description: 'Their name (1-200 characters)' }) @IsString() @Length(1, 200) name: string;
  @Field({ description: 'Start (ISO 8601)' }) @IsISO8601() startsAt: string;
  @Field({ description: 'End, after the start, at most 31 days later (ISO 8601)' }) @IsISO8601() endsAt: string;
}
