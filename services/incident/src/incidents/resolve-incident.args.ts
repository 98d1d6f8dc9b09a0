import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

@ArgsType()
export class ResolveIncidentArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field({ description: 'What was found and done (1-20000 characters)' }) @IsString() @Length(1, 20000) summary: string;
  @Field(() => Int, { nullable: true, description: 'The version you read; CONFLICT when the incident changed since. Without it the version read in the same transaction is used' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
