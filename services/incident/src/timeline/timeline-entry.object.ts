import { Field, ObjectType } from '@nestjs/graphql';
import { TimelineVisibility, TimelineVisibilityEnum } from './timeline-visibility';

@ObjectType('TimelineEntry', { description: 'One thing that happened on an incident' })
export class TimelineEntryObject {
  @Field({ description: 'When it happened' }) at: Date;
  @Field({ description: 'What sort of entry: OPENED, VERDICT, SEVERITY, STATUS, ASSIGNMENT, ESCALATION, COMMENT, FINDINGS, MERGE, DISPOSITION, SLA, ACKNOWLEDGED, REPORT, or another module’s' })
  kind: string;
  @Field({ description: 'Who: a user’s id, or system:<what> for the service itself' }) actor: string;
  @Field({ description: 'What happened, in words' }) text: string;
  @Field(() => TimelineVisibilityEnum, { description: 'Who may read it: INTERNAL entries are shown to the provider’s staff only' }) visibility: TimelineVisibility;
}
