import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { ReportObject } from '../reports/report.object';
import { GenerateMonthlyReportArgs } from './generate-monthly-report.args';
import { MonthlyReportsPermissions } from './monthly-reports.permissions';
import { MonthlyReportsService } from './monthly-reports.service';

@Resolver(() => ReportObject)
export class MonthlyReportsResolver {
  constructor(private readonly service: MonthlyReportsService) {}

  @Mutation(() => ReportObject, {
    description:
      'Makes a new version of a customer’s monthly report for a calendar month (Asia/Tokyo), in the customer’s language. The month in progress gives a provisional report (marked on every page); a month in the future or before the contract is BAD_USER_INPUT on month; another tenant is NOT_FOUND',
  })
  @CallableBy(MonthlyReportsPermissions.generateMonthlyReport)
  generateMonthlyReport(@CurrentPrincipal() principal: Principal, @Args() args: GenerateMonthlyReportArgs) {
    return this.service.generate(principal, args.customerId, args.month);
  }
}
