import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { SocSeverity } from '@kanshi/events';
import { Severity } from '../incidents/incident.object';

@ArgsType()
export class RaiseIncidentArgs {
  @Field(() => ID, { description: 'The LOW verdict (counted for the monthly statistics, no incident yet)' }) @IsUUID() verdictId: string;
  @Field(() => Severity, { nullable: true, defaultValue: 'LOW', description: 'The provisional severity (confirm it with confirmSeverity); default LOW' })
  @IsOptional()
  @IsEnum(Severity)
  severity?: SocSeverity;
  @Field({ description: 'Why it deserves an incident (1-5000 characters)' }) @IsString() @Length(1, 5000) reason: string;
}
