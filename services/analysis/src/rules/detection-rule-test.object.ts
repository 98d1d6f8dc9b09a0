import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('DetectionRuleTestResult', { description: 'Whether one sample event matched the rule under test' })
export class DetectionRuleTestResultObject {
  @Field(() => Int, { description: "The event's position in the list, from 0" }) index: number;
  @Field({ description: 'Whether the rule matched the event (for a correlation: whether it fired on this event)' }) matched: boolean;
  @Field(() => [String], { description: 'The selections (or sequence steps) that matched; empty when none did' }) selections: string[];
  @Field({ description: 'The product the event was judged as: its kanshi.product, else the first of the rule' }) product: string;
}
