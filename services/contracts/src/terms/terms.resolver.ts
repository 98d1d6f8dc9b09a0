import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal } from '@kanshi/auth';
import { ContractsPermissions } from '../contracts.permissions';
import { PublishTermsVersionInput } from './publish-terms.input';
import { TermsVersionObject } from './terms.object';
import { TermsService } from './terms.service';

@Resolver(() => TermsVersionObject)
export class TermsResolver {
  constructor(private readonly service: TermsService) {}

  @Query(() => [TermsVersionObject], { description: 'Contract terms versions, newest first; `current` is the one new contracts accept' })
  @CallableBy(ContractsPermissions.readTerms)
  termsVersions() {
    return this.service.versions();
  }

  @Mutation(() => TermsVersionObject, { description: 'provider_admin: publish a new version of the contract terms' })
  @CallableBy(ContractsPermissions.publishTerms)
  publishTermsVersion(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The version number, effective date, title and full text' }) input: PublishTermsVersionInput) {
    return this.service.publish(principal, input);
  }
}
