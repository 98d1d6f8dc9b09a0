import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ReportKindValue } from '@kanshi/events';
import { ReportKind } from './report.object';

@ArgsType()
export class ReportsArgs {
  @Field(() => ID, { nullable: true, description: 'Only this customer’s' }) @IsOptional() @IsUUID() customerId?: string;
  @Field(() => ReportKind, { nullable: true, description: 'Only this kind' }) @IsOptional() @IsEnum(ReportKind) kind?: ReportKindValue;
}
