import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IncidentKindValue, IncidentStatusValue, SocSeverity } from '@kanshi/events';
import { IncidentKind, IncidentStatus, Severity } from './incident.object';

@InputType({ description: 'Narrows a list of incidents; every given condition must hold' })
export class IncidentFilter {
  @Field(() => ID, { nullable: true, description: 'Only this customer’s' }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => Severity, { nullable: true, description: 'Only this severity' }) @IsOptional() @IsEnum(Severity) severity?: SocSeverity;
  @Field(() => IncidentStatus, { nullable: true, description: 'Only this status' }) @IsOptional() @IsEnum(IncidentStatus) status?: IncidentStatusValue;
  @Field(() => IncidentKind, { nullable: true, description: 'Only this kind' }) @IsOptional() @IsEnum(IncidentKind) kind?: IncidentKindValue;
  @Field({ nullable: true, description: 'true: only open ones (not RESOLVED or CLOSED)' }) @IsOptional() @IsBoolean() open?: boolean;
  @Field({ nullable: true, description: 'Only those assigned (tier 1 or 2) to this user id' }) @IsOptional() @IsString() @Length(1, 200) assignee?: string;
  @Field({ nullable: true, description: 'true: only those with a breached SLA clock' }) @IsOptional() @IsBoolean() breached?: boolean;
  @Field({ nullable: true, description: 'Opened at or after this time (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true, description: 'Opened before this time (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
}
