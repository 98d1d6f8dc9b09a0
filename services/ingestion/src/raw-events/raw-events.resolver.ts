import { Args, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { IngestionPermissions } from '../ingestion.permissions';
import { RawEventConnection, RawEventObject } from './raw-event.object';
import { RawEventsArgs } from './raw-events.args';
import { RawEventsService } from './raw-events.service';

@Resolver(() => RawEventObject)
export class RawEventsResolver {
  constructor(private readonly service: RawEventsService) {}

  @Query(() => RawEventConnection, { description: 'Raw events by time range and text (provider staff)' })
  @CallableBy(IngestionPermissions.searchRawEvents)
  rawEvents(@CurrentPrincipal() principal: Principal, @Args() args: RawEventsArgs) {
    return this.service.search(principal, args.filter, args.first, args.after);
  }
}
