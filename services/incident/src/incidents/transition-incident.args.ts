import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { IncidentStatusValue } from '@kanshi/events';
import { IncidentStatus } from './incident.object';

@ArgsType()
export class TransitionIncidentArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field(() => IncidentStatus, { description: 'The status to move to (RESOLVED or CLOSED -> TRIAGED reopens)' }) @IsEnum(IncidentStatus) status: IncidentStatusValue;
  @Field({ nullable: true, description: 'Why (up to 5000 characters); on the timeline' }) @IsOptional() @IsString() @Length(0, 5000) note?: string;
  @Field(() => Int, { nullable: true, description: 'The version you read; CONFLICT when the incident changed since. Without it the version read in the same transaction is used' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
