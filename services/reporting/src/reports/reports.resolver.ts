import { Args, Context, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { ReportEntity } from './report.entity';
import { ReportObject } from './report.object';
import { ReportsArgs } from './reports.args';
import { ReportsPermissions } from './reports.permissions';
import { ReportsService } from './reports.service';

@Resolver(() => ReportObject)
export class ReportsResolver {
  constructor(private readonly service: ReportsService) {}

  @Query(() => [ReportObject], { description: 'Reports you may see, newest first; more than 500 matches is an error (TOO_MANY_REPORTS): narrow by customerId or kind' })
  @CallableBy(ReportsPermissions.readReports)
  reports(@CurrentPrincipal() principal: Principal, @Args() args: ReportsArgs) {
    return this.service.list(principal, { customerId: args.customerId, kind: args.kind });
  }

  // A quote's or invoice's PDF (contracts points at it); another tenant's reads as null.
  @ResolveReference()
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    const principal = principalOf(ctx);
    return requestLoader<ReportEntity>(ctx.req, 'report', (ids) => this.service.visibleByIds(principal, ids)).load(ref.id);
  }
}

@Resolver(() => CustomerRef)
export class CustomerReportsResolver {
  constructor(private readonly service: ReportsService) {}

  @ResolveField(() => [ReportObject], { description: 'The customer’s reports, newest first; more than 500 is an error (TOO_MANY_REPORTS)' })
  reports(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext): Promise<ReportEntity[]> {
    const principal = principalOf(ctx);
    return requestLoader<ReportEntity[]>(ctx.req, 'reportsByCustomer', (ids) => this.service.byCustomers(principal, ids))
      .load(customer.id)
      .then((r) => r ?? []);
  }
}
