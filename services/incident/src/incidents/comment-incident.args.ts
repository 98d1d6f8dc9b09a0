import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { TIMELINE_VISIBILITIES, TimelineVisibility, TimelineVisibilityEnum } from '../timeline/timeline-visibility';

@ArgsType()
export class CommentIncidentArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field({ description: 'The comment (1-10000 characters)' }) @IsString() @Length(1, 10000) text: string;
  @Field(() => TimelineVisibilityEnum, {
    nullable: true,
    description: 'Who may read it. Staff: INTERNAL unless CUSTOMER is given (for the customer to read). Customers: always CUSTOMER (INTERNAL is refused)',
  })
  @IsOptional()
  @IsIn(TIMELINE_VISIBILITIES)
  visibility?: TimelineVisibility;
}
