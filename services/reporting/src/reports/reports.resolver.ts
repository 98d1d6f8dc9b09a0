import { Args, Context, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { ReportEntity } from './report.entity';
import { ReportConnection } from './report-connection.object';
import { ReportObject } from './report.object';
import { ReportPageArgs } from './report-page.args';
import { ReportsArgs } from './reports.args';
import { ReportsPermissions } from './reports.permissions';
import { ReportsService } from './reports.service';

@Resolver(() => ReportObject)
export class ReportsResolver {
  constructor(private readonly service: ReportsService) {}

  @Query(() => [ReportObject], { description: 'Reports you may see, newest first; more than 500 matches is an error (TOO_MANY_REPORTS): narrow by customerId or kind, or use reportPage' })
  @CallableBy(ReportsPermissions.readReports)
  reports(@CurrentPrincipal() principal: Principal, @Args() args: ReportsArgs) {
    return this.service.list(principal, { customerId: args.customerId, kind: args.kind });
  }

  @Query(() => ReportConnection, { description: 'Reports you may see, newest first, a page at a time' })
  @CallableBy(ReportsPermissions.readReports)
  reportPage(@CurrentPrincipal() principal: Principal, @Args() args: ReportPageArgs) {
    return this.service.page(principal, { customerId: args.customerId, kind: args.kind }, args.first, args.after);
  }

  @ResolveField(() => String, {
    description: 'Absolute URL of the PDF on reporting’s public port, signed for this report and valid for 15 minutes (REPORT_URL_TTL_SECONDS); fetching it needs no Authorization header',
  })
  downloadUrl(@Parent() report: ReportEntity, @CurrentPrincipal() principal: Principal): string {
    return this.service.downloadUrl(principal, report);
  }

  // A quote's or invoice's PDF (contracts points at it); another tenant's reads as null.
  @ResolveReference()
  @ReferenceCallableBy(ReportsPermissions.readReports)
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    const principal = principalOf(ctx);
    return requestLoader<ReportEntity>(ctx.req, 'report', (ids) => this.service.visibleByIds(principal, ids)).load(ref.id);
  }
}

@Resolver(() => CustomerRef)
export class CustomerReportsResolver {
  constructor(private readonly service: ReportsService) {}

  @ResolveField(() => [ReportObject], { description: 'The customer’s reports, newest first; more than 500 is an error (TOO_MANY_REPORTS)' })
  @CallableBy(ReportsPermissions.readReports)
  reports(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext): Promise<ReportEntity[]> {
    const principal = principalOf(ctx);
    return requestLoader<ReportEntity[]>(ctx.req, 'reportsByCustomer', (ids) => this.service.byCustomers(principal, ids))
      .load(customer.id)
      .then((r) => r ?? []);
  }
}
