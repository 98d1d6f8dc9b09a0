import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { SocSeverity } from '@kanshi/events';
import { AlertGroupStatusValue } from './alert-group-statuses';
import { AlertGroupStatus, Severity } from './alert-group.object';

@InputType({ description: 'Narrows a list of alert groups; every given condition must hold' })
export class AlertGroupFilter {
  @Field(() => ID, { nullable: true, description: 'Only this customer’s' }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => AlertGroupStatus, { nullable: true, description: 'Only groups in this status' }) @IsOptional() @IsEnum(AlertGroupStatus) status?: AlertGroupStatusValue;
  @Field(() => Severity, { nullable: true, description: 'Only groups of this severity' }) @IsOptional() @IsEnum(Severity) severity?: SocSeverity;
  @Field({ nullable: true, description: 'Only groups with an alert at or after this time (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true, description: 'Only groups with an alert before this time (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
}
