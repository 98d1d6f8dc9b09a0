import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

@ArgsType()
export class AssignIncidentArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field(() => Int, { description: 'The tier: 1 (engineer, first response) or 2 (analyst, second response)' }) @IsIn([1, 2]) tier: 1 | 2;
  @Field({ description: 'Who (the user id, 1-200 characters)' }) @IsString() @Length(1, 200) assignee: string;
  @Field(() => Int, { nullable: true, description: 'The version you read; CONFLICT when the incident changed since. Without it the version read in the same transaction is used' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
