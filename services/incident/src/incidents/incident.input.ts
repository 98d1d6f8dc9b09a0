import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, ValidateNested, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { IncidentStatus, Severity } from './incident.object';

@InputType()
export class OpenIncidentInput {
  @Field(() => ID) @IsUUID() customerId: string;
  @Field(() => Severity) @IsEnum(Severity) severity: Severity;
  @Field() @IsString() @Length(1, 300) title: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(0, 20000) description?: string;
}

@InputType()
export class IncidentFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => Severity, { nullable: true }) @IsOptional() @IsEnum(Severity) severity?: Severity;
  @Field(() => IncidentStatus, { nullable: true }) @IsOptional() @IsEnum(IncidentStatus) status?: IncidentStatus;
  @Field({ nullable: true }) @IsOptional() @IsISO8601() from?: string;
  @Field({ nullable: true }) @IsOptional() @IsISO8601() to?: string;
}

@ArgsType()
export class IncidentsArgs {
  @Field(() => IncidentFilter, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => IncidentFilter) filter?: IncidentFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() after?: string;
}
