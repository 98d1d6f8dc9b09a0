import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, scopeOf } from '@kanshi/auth';
import { CustomerRef } from '@kanshi/events';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { ReportEntity } from './report.entity';
import { ReportKind, ReportObject } from './report.object';
import { ReportsRepository } from './reports.repository';

@Resolver(() => ReportObject)
export class ReportsResolver {
  constructor(private readonly repo: ReportsRepository) {}

  @Query(() => [ReportObject])
  reports(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId', { type: () => ID, nullable: true }) customerId?: string,
    @Args('kind', { type: () => ReportKind, nullable: true }) kind?: ReportKind,
  ) {
    return this.repo.findVisible(scopeOf(principal), { customerIds: customerId ? [customerId] : undefined, kind });
  }
}

@Resolver(() => CustomerRef)
export class CustomerReportsResolver {
  constructor(private readonly repo: ReportsRepository) {}

  @ResolveField(() => [ReportObject])
  reports(@Parent() customer: CustomerRef, @Context() ctx: SubgraphContext): Promise<ReportEntity[]> {
    const scope = scopeOf(principalOf(ctx));
    return requestLoader<ReportEntity[]>(ctx.req, 'reportsByCustomer', async (ids) => {
      const rows = await this.repo.findVisible(scope, { customerIds: ids });
      const out = new Map<string, ReportEntity[]>(ids.map((id) => [id, []]));
      for (const r of rows) out.get(r.customerId)?.push(r);
      return out;
    })
      .load(customer.id)
      .then((r) => r ?? []);
  }
}
