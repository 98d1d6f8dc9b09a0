import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { AlertSeverity } from './alert.object';

@InputType({ description: 'Which alerts to list; every field narrows the list' })
export class AlertFilter {
  @Field(() => ID, { nullable: true, description: "Only this customer's alerts" }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ID, { nullable: true, description: "Only this sensor's alerts" }) @IsOptional() @IsUUID() sensorId?: string;
  @Field({ nullable: true, description: 'Received at or after (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true, description: 'Received before (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
  @Field(() => AlertSeverity, { nullable: true, description: 'This severity or higher' }) @IsOptional() @IsEnum(AlertSeverity) minSeverity?: AlertSeverity;
}

@ArgsType()
export class AlertsArgs {
  @Field(() => AlertFilter, { nullable: true, description: 'Which alerts; every visible alert when omitted' }) @IsOptional() @ValidateNested() @Type(() => AlertFilter) filter?: AlertFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size: at most this many alerts (1 to 200)' }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true, description: 'The endCursor of the previous page; the first page when omitted' }) @IsOptional() @IsString() after?: string;
}
