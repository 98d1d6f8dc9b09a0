import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { ContractsPermissions } from '../contracts.permissions';
import { CalendarDateScalar } from '../common/calendar-date.scalar';
import { CustomerEntity } from '../customers/customer.entity';
import { CustomerObject } from '../customers/customer.object';
import { CustomersService } from '../customers/customers.service';
import { QuoteEntity } from '../quotes/quote.entity';
import { QuoteObject } from '../quotes/quote.object';
import { QuotesService } from '../quotes/quotes.service';
import { TermsAcceptanceEntity } from '../terms/terms.entity';
import { TermsAcceptanceObject } from '../terms/terms.object';
import { ContractSetupInput } from './contract-setup.input';
import { ContractEntity, CustomerSensorEntity } from './contract.entity';
import { ContractObject, ContractPricesObject, OnboardingObject } from './contract.object';
import { ContractsService } from './contracts.service';
import { OnboardingChecklist, onboardingChecklist } from './onboarding';

@Resolver(() => ContractObject)
export class ContractsResolver {
  constructor(
    private readonly service: ContractsService,
    private readonly customers: CustomersService,
    private readonly quotes: QuotesService,
  ) {}

  @Query(() => ContractObject, { nullable: true, description: "null when missing or another tenant's" })
  @CallableBy(ContractsPermissions.readContracts)
  contract(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: "The contract's id" }) id: string, @Context() ctx: SubgraphContext) {
    return requestLoader<ContractEntity>(ctx.req, 'contract', (ids) => this.service.visibleByIds(principal, ids)).load(id);
  }

  @Query(() => [ContractObject], { description: 'Contracts you may see, newest first' })
  @CallableBy(ContractsPermissions.readContracts)
  contracts(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, nullable: true, description: "Only this customer's contracts; every visible contract when omitted" }) customerId?: string) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => ContractObject, { description: 'Creates the contract from the quote and records the acceptance of the terms in force' })
  @CallableBy(ContractsPermissions.acceptQuotes)
  acceptQuote(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID, description: 'The sent quote to accept' }) id: string,
    @Args('termsVersion', { description: 'The version of the terms in force today, which the caller accepts' }) termsVersion: string,
    @Args('setup', { type: () => ContractSetupInput, nullable: true, description: 'Service settings; the defaults when omitted' }) setup?: ContractSetupInput,
  ) {
    return this.service.acceptQuote(principal, id, termsVersion, setup);
  }

  @Mutation(() => ContractObject, { description: 'Monitored products, escalation contacts, isolation pre-approval, log retention' })
  @CallableBy(ContractsPermissions.changeContracts)
  updateContract(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The contract to change' }) id: string, @Args('input', { description: 'The settings to change; an omitted field is left as it is' }) input: ContractSetupInput) {
    return this.service.update(principal, id, input);
  }

  @Mutation(() => ContractObject, { description: 'The customer confirms its escalation contacts (an onboarding step)' })
  @CallableBy(ContractsPermissions.confirmContacts)
  confirmEscalationContacts(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The contract whose contacts are confirmed' }) id: string) {
    return this.service.confirmContacts(principal, id);
  }

  @Mutation(() => ContractObject, { description: 'Provider staff: start the service once onboarding is complete' })
  @CallableBy(ContractsPermissions.activateContracts)
  activateContract(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The contract to activate' }) id: string) {
    return this.service.activate(principal, id);
  }

  @Mutation(() => ContractObject, { description: 'Ends a contract on a day; billing stops after that day' })
  @CallableBy(ContractsPermissions.terminateContracts)
  terminateContract(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID, description: 'The contract to terminate' }) id: string,
    @Args('endDate', { type: () => CalendarDateScalar, description: 'Last day of service (inclusive)' }) endDate: string,
  ) {
    return this.service.terminate(principal, id, endDate);
  }

  @Mutation(() => ContractObject, { description: 'Records acceptance of the terms version now in force for a running contract' })
  @CallableBy(ContractsPermissions.acceptTerms)
  acceptTerms(@CurrentPrincipal() principal: Principal, @Args('contractId', { type: () => ID, description: 'The contract the acceptance is for' }) contractId: string, @Args('termsVersion', { description: 'The version of the terms in force today' }) termsVersion: string) {
    return this.service.acceptTerms(principal, contractId, termsVersion);
  }

  @ResolveReference()
  @ReferenceCallableBy(ContractsPermissions.readContracts)
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    return requestLoader<ContractEntity>(ctx.req, 'contract', (ids) => this.service.visibleByIds(principalOf(ctx), ids)).load(ref.id);
  }

  @ResolveField(() => CustomerObject, { nullable: true, description: 'The customer under contract; null when not visible to the caller' })
  customer(@Parent() contract: ContractEntity, @CurrentPrincipal() principal: Principal, @Context() ctx: SubgraphContext) {
    return requestLoader<CustomerEntity>(ctx.req, 'customer', (ids) => this.customers.visibleByIds(principal, ids)).load(contract.customerId);
  }

  @ResolveField(() => QuoteObject, { nullable: true, description: 'The quote the contract was made from; null when not visible to the caller' })
  @CallableBy(ContractsPermissions.readQuotes)
  quote(@Parent() contract: ContractEntity, @CurrentPrincipal() principal: Principal, @Context() ctx: SubgraphContext) {
    return requestLoader<QuoteEntity>(ctx.req, 'quote', (ids) => this.quotes.visibleByIds(principal, ids)).load(contract.quoteId);
  }

  @ResolveField(() => ContractPricesObject, {
    nullable: true,
    description: "The prices sold, kept whatever the catalogue later says; null for a partner's customer (it pays the partner what the partner charges, not the partner's prices)",
  })
  async prices(@Parent() contract: ContractEntity, @CurrentPrincipal() principal: Principal, @Context() ctx: SubgraphContext) {
    if (!principal.isCustomer) return contract.prices;
    const customer = await requestLoader<CustomerEntity>(ctx.req, 'customer', (ids) => this.customers.visibleByIds(principal, ids)).load(contract.customerId);
    return customer && customer.partnerId === null ? contract.prices : null;
  }

  @ResolveField(() => OnboardingObject, { description: 'The onboarding checklist' })
  async onboarding(@Parent() contract: ContractEntity, @Context() ctx: SubgraphContext): Promise<OnboardingChecklist> {
    const sensors = await requestLoader<CustomerSensorEntity[]>(ctx.req, 'customer-sensors', async (customerIds) => {
      const all = await this.service.sensorsOf(customerIds);
      return new Map(customerIds.map((id) => [id, all.filter((s) => s.customerId === id)]));
    }).load(contract.customerId);
    return onboardingChecklist(contract, sensors ?? []);
  }

  @ResolveField(() => [TermsAcceptanceObject], { description: 'Every acceptance of the terms for this contract, oldest first' })
  async termsAcceptances(@Parent() contract: ContractEntity, @Context() ctx: SubgraphContext) {
    const rows = await requestLoader<TermsAcceptanceEntity[]>(ctx.req, 'contract-terms', async (ids) => {
      const all = await this.service.acceptancesOf(ids);
      return new Map(ids.map((id) => [id, all.filter((a) => a.contractId === id)]));
    }).load(contract.id);
    return (rows ?? []).map((a) => ({ termsVersion: a.termsVersion, sha256: a.termsSha256, acceptedBy: a.acceptedBy, acceptedByRole: a.acceptedByRole, acceptedAt: a.acceptedAt }));
  }
}

@Resolver(() => CustomerObject)
export class CustomerContractsResolver {
  constructor(private readonly service: ContractsService) {}

  @ResolveField(() => [ContractObject], { description: "The customer's contracts, newest first" })
  @CallableBy(ContractsPermissions.readContracts)
  contracts(@Parent() customer: CustomerEntity, @CurrentPrincipal() principal: Principal) {
    return this.service.list(principal, customer.id);
  }
}
