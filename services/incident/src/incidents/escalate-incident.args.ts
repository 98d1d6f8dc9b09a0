import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

@ArgsType()
export class EscalateIncidentArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field({ description: 'Why tier 2 is needed (1-5000 characters)' }) @IsString() @Length(1, 5000) reason: string;
  @Field({ nullable: true, description: 'The tier-2 analyst; default: the one on duty now (or the one already assigned)' }) @IsOptional() @IsString() @Length(1, 200) assignee?: string;
  @Field(() => Int, { nullable: true, description: 'The version you read; CONFLICT when the incident changed since. Without it the version read in the same transaction is used' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
