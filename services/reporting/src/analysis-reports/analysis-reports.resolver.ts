import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { ReportObject } from '../reports/report.object';
import { AnalysisReportsPermissions } from './analysis-reports.permissions';
import { AnalysisReportsService } from './analysis-reports.service';
import { GenerateAnalysisReportArgs } from './generate-analysis-report.args';

@Resolver(() => ReportObject)
export class AnalysisReportsResolver {
  constructor(private readonly service: AnalysisReportsService) {}

  @Mutation(() => ReportObject, {
    description: 'Makes a new version of an incident’s analysis report (調査報告書) in the edition asked for, in the customer’s language; not mailed. Another tenant’s incident is NOT_FOUND',
  })
  @CallableBy(AnalysisReportsPermissions.generateAnalysisReport)
  generateAnalysisReport(@CurrentPrincipal() principal: Principal, @Args() args: GenerateAnalysisReportArgs) {
    return this.service.generate(principal, args.incidentId, args.edition);
  }
}
