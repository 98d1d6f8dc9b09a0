import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { SocSeverity } from '@kanshi/events';
import { Severity } from './incident.object';

@ArgsType()
export class ConfirmSeverityArgs {
  @Field(() => ID, { description: 'Incident id' }) @IsUUID() id: string;
  @Field(() => Severity, { description: 'The severity the analyst decided' }) @IsEnum(Severity) severity: SocSeverity;
  @Field({ description: 'Why (1-5000 characters); on the timeline' }) @IsString() @Length(1, 5000) rationale: string;
  @Field(() => Int, { nullable: true, description: 'The version you read; CONFLICT when the incident changed since. Without it the version read in the same transaction is used' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
