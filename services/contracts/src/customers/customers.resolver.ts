import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { ContractsPermissions } from '../contracts.permissions';
import { isPlanCode } from '../pricing/catalogue';
import { CreateCustomerInput, CreatePartnerInput, SetPartnerPricingInput } from './create-customer.input';
import { CustomerEntity } from './customer.entity';
import { CustomerObject, PartnerObject, WholesalePriceObject } from './customer.object';
import { CustomersService } from './customers.service';
import { PartnerEntity } from './partner.entity';

type GqlContext = SubgraphContext;

@Resolver(() => CustomerObject)
export class CustomersResolver {
  constructor(private readonly service: CustomersService) {}

  @Query(() => [CustomerObject], { description: 'Customers you may see; partners see their own customers only' })
  @CallableBy(ContractsPermissions.readCustomers)
  customers(@CurrentPrincipal() principal: Principal, @Args('partnerId', { type: () => ID, nullable: true, description: "Only this partner's customers; every visible customer when omitted" }) partnerId?: string) {
    return this.service.list(principal, partnerId);
  }

  @Query(() => CustomerObject, { nullable: true, description: 'One customer; null when missing or not visible to the caller' })
  @CallableBy(ContractsPermissions.readCustomers)
  async customer(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: "The customer's id" }) id: string, @Context() ctx: GqlContext) {
    return this.load(ctx, principal).load(id);
  }

  @Mutation(() => CustomerObject, { description: 'Creates a customer; a partner creates its own customers' })
  @CallableBy(ContractsPermissions.createCustomers)
  createCustomer(@CurrentPrincipal() principal: Principal, @Args('input', { description: "The customer's details" }) input: CreateCustomerInput) {
    return this.service.createCustomer(principal, input);
  }

  @ResolveField(() => PartnerObject, { nullable: true, description: 'The partner that serves the customer; null for a direct customer or when not visible to the caller' })
  partner(@Parent() customer: CustomerEntity, @CurrentPrincipal() principal: Principal, @Context() ctx: GqlContext) {
    if (!customer.partnerId) return null;
    return requestLoader(ctx.req, 'partner', (ids) => this.service.visiblePartnersByIds(principal, ids)).load(customer.partnerId);
  }

  // Another tenant's customer resolves to null: indistinguishable from a missing one.
  @ResolveReference()
  @ReferenceCallableBy(ContractsPermissions.readCustomers)
  resolveReference(ref: { id: string }, ctx: GqlContext) {
    return this.load(ctx, principalOf(ctx)).load(ref.id);
  }

  private load(ctx: GqlContext, principal: Principal) {
    return requestLoader<CustomerEntity>(ctx.req, 'customer', (ids) => this.service.visibleByIds(principal, ids));
  }
}

@Resolver(() => PartnerObject)
export class PartnersResolver {
  constructor(private readonly service: CustomersService) {}

  @Query(() => [PartnerObject], { description: 'Partners you may see: provider staff every partner, a partner itself' })
  @CallableBy(ContractsPermissions.readPartners)
  partners(@CurrentPrincipal() principal: Principal) {
    return this.service.partners(principal);
  }

  @Mutation(() => PartnerObject, { description: 'Creates a reseller partner with its price terms; a discount or wholesale prices only by provider_admin (setPartnerPricing)' })
  @CallableBy(ContractsPermissions.createPartners)
  createPartner(@CurrentPrincipal() principal: Principal, @Args('input', { description: "The partner's details and price terms" }) input: CreatePartnerInput) {
    return this.service.createPartner(principal, input);
  }

  @Mutation(() => PartnerObject, { description: "Replaces a partner's prices for new quotes (a discount or wholesale prices); contracts keep theirs" })
  @CallableBy(ContractsPermissions.setPartnerPricing)
  setPartnerPricing(@CurrentPrincipal() principal: Principal, @Args('partnerId', { type: () => ID, description: 'The partner whose prices change' }) partnerId: string, @Args('input', { description: 'The new discount or wholesale prices' }) input: SetPartnerPricingInput) {
    return this.service.setPartnerPricing(principal, partnerId, input);
  }

  @ResolveField(() => [WholesalePriceObject], { description: "The partner's wholesale prices per plan; empty when it gets a discount instead" })
  wholesalePrices(@Parent() partner: PartnerEntity): WholesalePriceObject[] {
    return Object.entries(partner.wholesalePrices ?? {}).flatMap(([plan, prices]) => (isPlanCode(plan) ? [{ plan, ...prices }] : []));
  }

  @ResolveField(() => [CustomerObject], { description: "The partner's customers visible to the caller" })
  @CallableBy(ContractsPermissions.readCustomers)
  customers(@Parent() partner: PartnerEntity, @CurrentPrincipal() principal: Principal) {
    return this.service.list(principal, partner.id);
  }

  @ResolveReference()
  @ReferenceCallableBy(ContractsPermissions.readPartners)
  resolveReference(ref: { id: string }, ctx: GqlContext) {
    const principal = principalOf(ctx);
    return requestLoader<PartnerEntity>(ctx.req, 'partner', (ids) => this.service.visiblePartnersByIds(principal, ids)).load(ref.id);
  }
}
