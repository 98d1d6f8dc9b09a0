import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { QuarantineStatus } from './quarantine.object';

@InputType()
export class QuarantineFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() sensorId?: string;
  @Field(() => QuarantineStatus, { nullable: true }) @IsOptional() @IsEnum(QuarantineStatus) status?: QuarantineStatus;
  @Field({ nullable: true }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true }) @IsOptional() @IsISO8601() to?: string;
  @Field({ nullable: true, description: 'Only bytes from sources no sensor is registered for' }) @IsOptional() @IsBoolean() unattributed?: boolean;
}

@ArgsType()
export class QuarantineArgs {
  @Field(() => QuarantineFilter, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => QuarantineFilter) filter?: QuarantineFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() after?: string;
}

@ArgsType()
export class ReplayBatchArgs {
  @Field(() => ID) @IsUUID() sensorId: string;
  @Field({ nullable: true }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true }) @IsOptional() @IsISO8601() to?: string;
  @Field(() => Int, { nullable: true, defaultValue: 500 }) @IsOptional() @IsInt() @Min(1) @Max(5000) limit?: number;
}
