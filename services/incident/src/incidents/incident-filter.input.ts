import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { IncidentStatusValue, SocSeverity } from '@kanshi/events';
import { IncidentStatus, Severity } from './incident.object';

@InputType({ description: 'Narrows a list of incidents; every given condition must hold' })
export class IncidentFilter {
  @Field(() => ID, { nullable: true, description: 'Only this customer’s' }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => Severity, { nullable: true, description: 'Only this severity' }) @IsOptional() @IsEnum(Severity) severity?: SocSeverity;
  @Field(() => IncidentStatus, { nullable: true, description: 'Only this status' }) @IsOptional() @IsEnum(IncidentStatus) status?: IncidentStatusValue;
  @Field({ nullable: true, description: 'Opened at or after this time (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true, description: 'Opened before this time (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
}
