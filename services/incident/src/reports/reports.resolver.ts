import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { IncidentObject } from '../incidents/incident.object';
import { RequestAnalysisReportArgs } from './request-analysis-report.args';
import { ReportsPermissions } from './reports.permissions';
import { ReportsService } from './reports.service';

@Resolver(() => IncidentObject)
export class ReportsResolver {
  constructor(private readonly service: ReportsService) {}

  @Mutation(() => IncidentObject, { description: 'Asks reporting for a draft analysis report of the incident (not mailed)' })
  @CallableBy(ReportsPermissions.requestReports)
  requestAnalysisReport(@CurrentPrincipal() principal: Principal, @Args() args: RequestAnalysisReportArgs) {
    return this.service.request(principal, args.incidentId, args.edition);
  }

  @Mutation(() => IncidentObject, { description: 'A tier-2 analyst approves the detailed analysis report; reporting mails it to the customer’s contacts' })
  @CallableBy(ReportsPermissions.approveReports)
  approveDetailedReport(@CurrentPrincipal() principal: Principal, @Args('incidentId', { type: () => ID, description: 'Incident id' }) incidentId: string) {
    return this.service.approveDetailed(principal, incidentId);
  }
}
