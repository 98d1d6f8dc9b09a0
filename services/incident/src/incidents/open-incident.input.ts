import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { SocSeverity } from '@kanshi/events';
import { Severity } from './incident.object';

@InputType({ description: 'An incident opened by hand (a customer’s phone call, a finding in a log search)' })
export class OpenIncidentInput {
  @Field(() => ID, { description: 'The customer it happened at' }) @IsUUID() customerId: string;
  @Field(() => Severity, { description: 'The SOC’s severity' }) @IsEnum(Severity) severity: SocSeverity;
  @Field({ description: 'One-line summary (1-300 characters)' }) @IsString() @Length(1, 300) title: string;
  @Field({ nullable: true, description: 'What is known (up to 20000 characters)' }) @IsOptional() @IsString() @Length(0, 20000) description?: string;
}
