import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('CallLogEntry', { description: 'One call made, outcome recorded or step down the list of a call task' })
export class CallLogEntryObject {
  @Field({ description: 'When' }) at: string;
  @Field(() => Int, { description: 'Which contact of the list (0 first)' }) contactIndex: number;
  @Field({ description: 'That contact’s name' }) contactName: string;
  @Field({ description: 'OPERATOR (recorded by the operator), VOICE (the automated call) or SYSTEM (the escalation timer)' }) via: string;
  @Field({ description: 'REACHED, NO_ANSWER, BUSY, LEFT_MESSAGE, WRONG_NUMBER, FAILED, ACKNOWLEDGED' }) outcome: string;
  @Field(() => String, { nullable: true, description: 'Who was reached' }) reachedWhom: string | null;
  @Field(() => String, { nullable: true, description: 'What was said' }) note: string | null;
  @Field({ description: 'Who recorded it (a subject, or system)' }) actor: string;
}
