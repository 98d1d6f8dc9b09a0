import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { AssetsPermissions } from './assets.permissions';
import { AssetsService } from './assets.service';
import { CriticalAssetObject } from './critical-asset.object';
import { CriticalAssetsArgs } from './critical-assets.args';
import { MarkCriticalAssetInput } from './mark-critical-asset.input';

@Resolver(() => CriticalAssetObject)
export class AssetsResolver {
  constructor(private readonly service: AssetsService) {}

  @Query(() => [CriticalAssetObject], { description: 'Critical assets you may see, oldest first; more than 1000 is an error (TOO_MANY_CRITICAL_ASSETS): narrow by customerId' })
  @CallableBy(AssetsPermissions.readCriticalAssets)
  criticalAssets(@CurrentPrincipal() principal: Principal, @Args() args: CriticalAssetsArgs) {
    return this.service.criticalAssets(principal, args.customerId);
  }

  @Mutation(() => CriticalAssetObject, { description: 'Marks a customer’s endpoint or server critical: verdicts on it are raised one level (LOW to MEDIUM, MEDIUM to HIGH)' })
  @CallableBy(AssetsPermissions.markCriticalAssets)
  markCriticalAsset(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The asset' }) input: MarkCriticalAssetInput) {
    return this.service.markCriticalAsset(principal, input);
  }
}
