import { Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { enumOf } from '@kanshi/events';

export const CALL_OUTCOMES = ['REACHED', 'NO_ANSWER', 'BUSY', 'LEFT_MESSAGE', 'WRONG_NUMBER'] as const;
export type CallOutcomeValue = (typeof CALL_OUTCOMES)[number];
export const CallOutcome = enumOf(CALL_OUTCOMES);
const MEANINGS: Record<CallOutcomeValue, string> = {
  REACHED: 'Someone took the call and was told: the task is done and the first report is delivered',
  NO_ANSWER: 'Nobody answered: the next contact is due now',
  BUSY: 'The line was busy: the next contact is due now',
  LEFT_MESSAGE: 'A voice message was left (not an acknowledgement): the next contact is due now',
  WRONG_NUMBER: 'The number did not reach the contact: the next contact is due now',
};
registerEnumType(CallOutcome, {
  name: 'CallOutcome',
  description: 'What came of one phone call to a contact',
  valuesMap: Object.fromEntries(CALL_OUTCOMES.map((o) => [o, { description: MEANINGS[o] }])),
});

@InputType({ description: 'The outcome of a call the operator made for a call task' })
export class RecordCallOutcomeInput {
  @Field(() => ID, { description: 'The call task' }) @IsUUID() callTaskId: string;
  @Field(() => CallOutcome, { description: 'What came of the call' }) @IsEnum(CallOutcome) outcome: CallOutcomeValue;
  @Field(() => Int, { nullable: true, description: 'Which contact of the task’s list was called (0 first); the current one when omitted' })
  @IsOptional()
  @IsInt()
  @Min(0)
  contactIndex?: number;
  @Field({ nullable: true, description: 'Who was reached (name and role), when not the listed contact' }) @IsOptional() @IsString() @Length(1, 200) reachedWhom?: string;
  @Field({ nullable: true, description: 'When the call took place (ISO 8601); now when omitted' }) @IsOptional() @IsISO8601() at?: string;
  @Field({ nullable: true, description: 'What was said (up to 4000 characters)' }) @IsOptional() @IsString() @Length(1, 4000) whatWasSaid?: string;
}
