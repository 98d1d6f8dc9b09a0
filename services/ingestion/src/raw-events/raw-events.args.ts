import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';

@InputType({ description: 'Which raw events to search: a time range of at most 93 days, optionally narrowed' })
export class RawEventFilter {
  @Field({ description: 'Received at or after (ISO 8601)' }) @IsISO8601() from: string;
  @Field({ description: 'Received before (ISO 8601); at most 93 days after from' }) @IsISO8601() to: string;
  @Field({ nullable: true, description: 'A substring of the raw text, case-insensitive' }) @IsOptional() @IsString() @Length(1, 500) text?: string;
  @Field(() => ID, { nullable: true, description: "Only this customer's events" }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ID, { nullable: true, description: "Only this sensor's events" }) @IsOptional() @IsUUID() sensorId?: string;
  @Field({ nullable: true, description: 'alert or event' }) @IsOptional() @IsIn(['alert', 'event']) kind?: string;
}

@ArgsType()
export class RawEventsArgs {
  @Field(() => RawEventFilter, { description: 'The time range and what to search for' }) @ValidateNested() @Type(() => RawEventFilter) filter: RawEventFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size: at most this many events (1 to 500)' }) @IsOptional() @IsInt() @Min(1) @Max(500) first?: number;
  @Field({ nullable: true, description: 'The endCursor of the previous page; the first page when omitted' }) @IsOptional() @IsString() after?: string;
}
