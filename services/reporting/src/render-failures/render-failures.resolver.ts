import { Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { RenderFailureObject } from './render-failure.object';
import { RenderFailuresPermissions } from './render-failures.permissions';
import { RenderFailures } from './render-failures.service';

@Resolver(() => RenderFailureObject)
export class RenderFailuresResolver {
  constructor(private readonly service: RenderFailures) {}

  @Query(() => [RenderFailureObject], { description: 'Reports that could not be rendered after every retry, newest first (at most 200); provider staff only' })
  @CallableBy(RenderFailuresPermissions.readRenderFailures)
  failedReportRenders(@CurrentPrincipal() principal: Principal) {
    return this.service.list(principal);
  }
}
