import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { ContractsPermissions } from '../contracts.permissions';
import { reportRef, ReportRef } from '../common/report-ref.object';
import { CustomerEntity } from '../customers/customer.entity';
import { CustomerObject } from '../customers/customer.object';
import { CustomersService } from '../customers/customers.service';
import { CreateQuoteInput } from './create-quote.input';
import { QuoteEntity, QuoteStatus } from './quote.entity';
import { QuoteObject } from './quote.object';
import { QuotesService } from './quotes.service';

@Resolver(() => QuoteObject)
export class QuotesResolver {
  constructor(
    private readonly service: QuotesService,
    private readonly customers: CustomersService,
  ) {}

  @Query(() => QuoteObject, { nullable: true, description: "null when missing or another tenant's" })
  @CallableBy(ContractsPermissions.readQuotes)
  quote(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: "The quote's id" }) id: string, @Context() ctx: SubgraphContext) {
    return requestLoader<QuoteEntity>(ctx.req, 'quote', (ids) => this.service.visibleByIds(principal, ids)).load(id);
  }

  @Query(() => [QuoteObject], { description: 'Quotes you may see, newest first' })
  @CallableBy(ContractsPermissions.readQuotes)
  quotes(@CurrentPrincipal() principal: Principal, @Args('customerId', { type: () => ID, nullable: true, description: "Only this customer's quotes; all visible quotes when omitted" }) customerId?: string) {
    return this.service.list(principal, customerId);
  }

  @Mutation(() => QuoteObject, { description: 'A draft quote priced from the catalogue in force (partner prices for a partner customer)' })
  @CallableBy(ContractsPermissions.manageQuotes)
  createQuote(@CurrentPrincipal() principal: Principal, @Args('input', { description: 'The plan, options, term and start date to price' }) input: CreateQuoteInput) {
    return this.service.create(principal, input);
  }

  @Mutation(() => QuoteObject, { description: "Issues the quote to the customer (reporting renders its PDF); a partner's quote beyond its limits must be approved first" })
  @CallableBy(ContractsPermissions.manageQuotes)
  sendQuote(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The draft quote to send' }) id: string) {
    return this.service.send(principal, id);
  }

  @Mutation(() => QuoteObject, { description: "Approves a partner's draft whose discount or custom lines exceed the partner's limits, so it can be sent (provider_admin)" })
  @CallableBy(ContractsPermissions.approveQuotes)
  approveQuote(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The draft quote to approve' }) id: string) {
    return this.service.approve(principal, id);
  }

  @Mutation(() => QuoteObject, { description: 'Withdraws a draft or sent quote; it can no longer be accepted' })
  @CallableBy(ContractsPermissions.manageQuotes)
  withdrawQuote(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The quote to withdraw' }) id: string) {
    return this.service.withdraw(principal, id);
  }

  // Another tenant's quote resolves to null, like a missing one.
  @ResolveReference()
  @ReferenceCallableBy(ContractsPermissions.readQuotes)
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    return requestLoader<QuoteEntity>(ctx.req, 'quote', (ids) => this.service.visibleByIds(principalOf(ctx), ids)).load(ref.id);
  }

  @ResolveField(() => QuoteStatus, { description: 'Where the quote is in its life; a sent quote past validUntil reads EXPIRED' })
  status(@Parent() quote: QuoteEntity): QuoteStatus {
    return this.service.statusOf(quote);
  }

  @ResolveField(() => CustomerObject, { nullable: true, description: 'The customer the quote is for; null when the caller may not see it' })
  customer(@Parent() quote: QuoteEntity, @CurrentPrincipal() principal: Principal, @Context() ctx: SubgraphContext) {
    return requestLoader<CustomerEntity>(ctx.req, 'customer', (ids) => this.customers.visibleByIds(principal, ids)).load(quote.customerId);
  }

  @ResolveField(() => ReportRef, { nullable: true, description: 'The quote PDF, once reporting has rendered it' })
  pdf(@Parent() quote: QuoteEntity): ReportRef | null {
    return reportRef(quote.pdfReportId);
  }
}
