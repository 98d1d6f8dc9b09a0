import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { QuarantineStatus } from './quarantine.object';

@InputType({ description: 'Which quarantined records to list; every field narrows the list' })
export class QuarantineFilter {
  @Field(() => ID, { nullable: true, description: "Only this customer's records" }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ID, { nullable: true, description: "Only this sensor's records" }) @IsOptional() @IsUUID() sensorId?: string;
  @Field(() => QuarantineStatus, { nullable: true, description: 'Only records in this state' }) @IsOptional() @IsEnum(QuarantineStatus) status?: QuarantineStatus;
  @Field({ nullable: true, description: 'Received at or after (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true, description: 'Received before (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
  @Field({ nullable: true, description: 'Only bytes from sources no sensor is registered for' }) @IsOptional() @IsBoolean() unattributed?: boolean;
}

@ArgsType()
export class QuarantineArgs {
  @Field(() => QuarantineFilter, { nullable: true, description: 'Which records; all when omitted' }) @IsOptional() @ValidateNested() @Type(() => QuarantineFilter) filter?: QuarantineFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size: at most this many records (1 to 200)' }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true, description: 'The endCursor of the previous page; the first page when omitted' }) @IsOptional() @IsString() after?: string;
}

@ArgsType()
export class ReplayBatchArgs {
  @Field(() => ID, { description: 'The sensor whose quarantined records are replayed' }) @IsUUID() sensorId: string;
  @Field({ nullable: true, description: 'Only records received at or after (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true, description: 'Only records received before (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
  @Field(() => Int, { nullable: true, defaultValue: 500, description: 'At most this many records (1 to 5000)' }) @IsOptional() @IsInt() @Min(1) @Max(5000) limit?: number;
}
