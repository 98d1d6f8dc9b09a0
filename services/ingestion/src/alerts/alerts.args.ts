import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { AlertSeverity } from './alert.object';

@InputType()
export class AlertFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() sensorId?: string;
  @Field({ nullable: true, description: 'Received at or after (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true, description: 'Received before (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
  @Field(() => AlertSeverity, { nullable: true, description: 'This severity or higher' }) @IsOptional() @IsEnum(AlertSeverity) minSeverity?: AlertSeverity;
}

@ArgsType()
export class AlertsArgs {
  @Field(() => AlertFilter, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => AlertFilter) filter?: AlertFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() after?: string;
}
