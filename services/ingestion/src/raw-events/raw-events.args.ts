import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';

@InputType()
export class RawEventFilter {
  @Field({ description: 'Received at or after (ISO 8601)' }) @IsISO8601() from: string;
  @Field({ description: 'Received before (ISO 8601); at most 93 days after from' }) @IsISO8601() to: string;
  @Field({ nullable: true, description: 'A substring of the raw text, case-insensitive' }) @IsOptional() @IsString() @Length(1, 500) text?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() sensorId?: string;
  @Field({ nullable: true, description: 'alert or event' }) @IsOptional() @IsIn(['alert', 'event']) kind?: string;
}

@ArgsType()
export class RawEventsArgs {
  @Field(() => RawEventFilter) @ValidateNested() @Type(() => RawEventFilter) filter: RawEventFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) @IsOptional() @IsInt() @Min(1) @Max(500) first?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() after?: string;
}
