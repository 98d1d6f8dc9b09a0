import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumOf, SLA_CLOCKS, SlaClockValue } from '@kanshi/events';

const CLOCK_MEANINGS: Record<SlaClockValue, string> = {
  ANALYSIS: 'Analysis: 30 minutes from arrival (business-hours plan: outside 9:00-17:30, 17:30 of the next business day); stops on confirmSeverity',
  FIRST_REPORT: 'MDR first report: 60 minutes after the severity decision; stops when the first notification is delivered',
  DETAILED_REPORT: 'MDR detailed report: 17:30 of the next business day after the severity decision; stops when the approved detailed report is sent',
};
export const SlaClock = enumOf(SLA_CLOCKS);
registerEnumType(SlaClock, {
  name: 'SlaClock',
  description: 'The SLA clocks of an incident',
  valuesMap: Object.fromEntries(SLA_CLOCKS.map((c) => [c, { description: CLOCK_MEANINGS[c] }])),
});

@ObjectType('SlaClockState', { description: 'One SLA clock of an incident' })
export class SlaClockStateObject {
  @Field(() => SlaClock, { description: 'Which clock' }) clock: SlaClockValue;
  @Field({ description: 'When it is due (moved later by pauses)' }) dueAt: Date;
  @Field(() => Date, { nullable: true, description: 'When it stopped on its event; null while it runs' }) metAt: Date | null;
  @Field({ description: 'Whether it passed its due time before stopping' }) breached: boolean;
}
