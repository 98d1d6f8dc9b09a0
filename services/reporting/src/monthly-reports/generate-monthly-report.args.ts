import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID, Matches } from 'class-validator';

@ArgsType()
export class GenerateMonthlyReportArgs {
  @Field(() => ID, { description: 'The customer the report is for' }) @IsUUID() customerId: string;
  @Field({ description: 'The calendar month in Asia/Tokyo, "YYYY-MM"; the month in progress gives a provisional report' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a calendar month YYYY-MM' })
  month: string;
}
