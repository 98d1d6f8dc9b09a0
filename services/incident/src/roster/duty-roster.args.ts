import { ArgsType, Field } from '@nestjs/graphql';
import { IsISO8601 } from 'class-validator';

@ArgsType()
export class DutyRosterArgs {
  @Field({ description: 'Shifts ending after this time (ISO 8601)' }) @IsISO8601() from: string;
  @Field({ description: 'Shifts starting before this time (ISO 8601), at most 62 days after from' }) @IsISO8601() to: string;
}
