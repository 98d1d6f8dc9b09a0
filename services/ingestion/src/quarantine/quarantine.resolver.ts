import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { IngestionPermissions } from '../ingestion.permissions';
import { QuarantineArgs, ReplayBatchArgs } from './quarantine.args';
import { QuarantineEntryConnection, QuarantineEntryObject, QuarantineReplayObject, QuarantineReplaySummaryObject } from './quarantine.object';
import { QuarantineService } from './quarantine.service';

@Resolver(() => QuarantineEntryObject)
export class QuarantineResolver {
  constructor(private readonly service: QuarantineService) {}

  @Query(() => QuarantineEntryConnection, { description: 'Records that were not accepted, with the reason (provider staff)' })
  @CallableBy(IngestionPermissions.readQuarantine)
  quarantinedEvents(@CurrentPrincipal() principal: Principal, @Args() args: QuarantineArgs) {
    return this.service.page(principal, args.filter, args.first, args.after);
  }

  @Mutation(() => QuarantineReplayObject, { description: "Runs a quarantined record through today's parsers; stores it when they accept it" })
  @CallableBy(IngestionPermissions.replayQuarantine)
  replayQuarantined(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The quarantine entry to replay' }) id: string) {
    return this.service.replay(principal, id);
  }

  @Mutation(() => QuarantineReplaySummaryObject, { description: "Replays a sensor's quarantined records, oldest first" })
  @CallableBy(IngestionPermissions.replayQuarantine)
  replayQuarantinedForSensor(@CurrentPrincipal() principal: Principal, @Args() args: ReplayBatchArgs) {
    return this.service.replayBatch(principal, args);
  }
}
