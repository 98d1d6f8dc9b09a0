import { Field, ObjectType } from '@nestjs/graphql';
import { SlaClockStateObject } from './sla-clock.object';
import { SlaPauseObject } from './sla-pause.object';

@ObjectType('IncidentSla', { description: 'The incident’s service-level clocks, from the contract’s plan and hours on the business calendar' })
export class IncidentSlaObject {
  @Field(() => Date, { nullable: true, description: 'When the analysis is due; null for an incident without the clock' }) analysisDueAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the first report is due (MDR, once the severity is decided)' }) firstReportDueAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the detailed report is due (MDR, once the severity is decided)' }) detailedReportDueAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the analysis clock stopped (the severity was confirmed)' }) analysisMetAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the first report clock stopped (first notification delivered)' }) firstReportMetAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the detailed report clock stopped (detailed report sent)' }) detailedReportMetAt: Date | null;
  @Field({ description: 'Whether any clock was breached' }) breached: boolean;
  @Field(() => [SlaClockStateObject], { description: 'Each clock that is set, with its state' }) clocks: SlaClockStateObject[];
  @Field(() => Date, { nullable: true, description: 'Since when the clocks are paused (waiting for the customer); null when running' }) pausedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the clocks are paused' }) pauseReason: string | null;
  @Field(() => [SlaPauseObject], { description: 'Every pause, oldest first' }) pauses: SlaPauseObject[];
  @Field(() => Date, { nullable: true, description: 'The soonest due time among the running clocks; null when none runs' }) nextDueAt: Date | null;
}
