import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { ReportKindValue } from '@kanshi/events';
import { ReportKind } from './report.object';

@ArgsType()
export class ReportPageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size, 1-200' }) @IsOptional() @IsInt() @Min(1) @Max(200) first?: number;
  @Field({ nullable: true, description: 'endCursor of the previous page' }) @IsOptional() @IsString() after?: string;
  @Field(() => ID, { nullable: true, description: 'Only this customer’s' }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ReportKind, { nullable: true, description: 'Only this kind' }) @IsOptional() @IsEnum(ReportKind) kind?: ReportKindValue;
}
