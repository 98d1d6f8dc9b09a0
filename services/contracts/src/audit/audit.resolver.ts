import { Args, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { AuditEntryConnection, AuditEntryObject } from './audit-entry.object';
import { AuditTrailArgs } from './audit-trail.args';
import { AuditPermissions } from './audit.permissions';
import { AuditService } from './audit.service';
import { DataPurgeConnection } from './data-purge.object';
import { DataPurgesArgs } from './data-purges.args';

@Resolver(() => AuditEntryObject)
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditEntryConnection, { description: "Who among provider staff and partners read or changed customers' data, when, what and from where; newest first (a customer administrator: entries about its own customer)" })
  @CallableBy(AuditPermissions.readAuditTrail)
  auditTrail(@CurrentPrincipal() principal: Principal, @Args() args: AuditTrailArgs) {
    return this.service.trail(principal, args);
  }

  @Query(() => DataPurgeConnection, { description: "What each service deleted of customers' data after their contracts' retention ended; newest first" })
  @CallableBy(AuditPermissions.readDataPurges)
  dataPurges(@CurrentPrincipal() principal: Principal, @Args() args: DataPurgesArgs) {
    return this.service.purges(principal, args);
  }
}
