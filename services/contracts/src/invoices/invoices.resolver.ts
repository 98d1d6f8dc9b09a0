import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CallableBy, CurrentPrincipal, Principal, ReferenceCallableBy } from '@kanshi/auth';
import { principalOf, requestLoader, SubgraphContext } from '@kanshi/platform';
import { ContractsPermissions } from '../contracts.permissions';
import { parseBillingPeriod } from '../billing/billing-period';
import { reportRef, ReportRef } from '../common/report-ref.object';
import { CustomerEntity } from '../customers/customer.entity';
import { CustomerObject, PartnerObject } from '../customers/customer.object';
import { CustomersService } from '../customers/customers.service';
import { PartnerEntity } from '../customers/partner.entity';
import { BillingRunService } from './billing-run.service';
import { BillingRunEntity, InvoiceEntity, InvoiceLineEntity } from './invoice.entity';
import { BillingRunObject, InvoiceConnection, InvoiceIssuerObject, InvoiceLineObject, InvoiceObject, InvoiceRecipientObject } from './invoice.object';
import { InvoiceFilter } from './invoices.repository';
import { InvoicesService } from './invoices.service';

function filterOf(customerId?: string, period?: string): InvoiceFilter {
  return { customerId, period: period === undefined || period === null ? undefined : parseBillingPeriod(period).period };
}

@Resolver(() => InvoiceObject)
export class InvoicesResolver {
  constructor(
    private readonly service: InvoicesService,
    private readonly billing: BillingRunService,
    private readonly customers: CustomersService,
  ) {}

  @Query(() => [InvoiceObject], {
    description: 'Invoices you may see (a partner: its own; a customer: its own), newest period first; at most 500 (more is BAD_USER_INPUT, reason TOO_MANY_INVOICES)',
    deprecationReason: 'Use invoicePage: it reads any number of invoices a page at a time. invoices answers at most 500.',
  })
  @CallableBy(ContractsPermissions.readInvoices)
  invoices(
    @CurrentPrincipal() principal: Principal,
    @Args('customerId', { type: () => ID, nullable: true, description: 'Invoices covering this customer' }) customerId?: string,
    @Args('period', { nullable: true, description: 'YYYY-MM' }) period?: string,
  ) {
    return this.service.list(principal, filterOf(customerId, period));
  }

  @Query(() => InvoiceConnection, { description: 'The same as invoices, a page at a time' })
  @CallableBy(ContractsPermissions.readInvoices)
  invoicePage(
    @CurrentPrincipal() principal: Principal,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'Page size: at most this many invoices (1 to 200)' }) first: number,
    @Args('after', { nullable: true, description: 'The endCursor of the previous page; the first page when omitted' }) after?: string,
    @Args('customerId', { type: () => ID, nullable: true, description: 'Invoices covering this customer' }) customerId?: string,
    @Args('period', { nullable: true, description: 'Only this month, YYYY-MM' }) period?: string,
  ) {
    return this.service.page(principal, filterOf(customerId, period), first, after);
  }

  @Query(() => InvoiceObject, { nullable: true, description: "null when missing or another tenant's" })
  @CallableBy(ContractsPermissions.readInvoices)
  invoice(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: "The invoice's id" }) id: string, @Context() ctx: SubgraphContext) {
    return requestLoader<InvoiceEntity>(ctx.req, 'invoice', (ids) => this.service.visibleByIds(principal, ids)).load(id);
  }

  @Query(() => [BillingRunObject], { description: 'Provider staff: billing runs, newest first' })
  @CallableBy(ContractsPermissions.readBillingRuns)
  billingRuns(@CurrentPrincipal() principal: Principal, @Args('period', { nullable: true, description: 'Only runs of this month, YYYY-MM' }) period?: string) {
    return this.service.runs(principal, period);
  }

  @Mutation(() => BillingRunObject, { description: 'provider_admin: bill a closed month; running it again never duplicates an invoice or a line' })
  @CallableBy(ContractsPermissions.runBilling)
  runBilling(
    @CurrentPrincipal() principal: Principal,
    @Args('period', { description: 'YYYY-MM' }) period: string,
    @Args('draft', { nullable: true, defaultValue: false, description: 'Leave the invoices as drafts (no numbers, no Stripe)' }) draft: boolean,
  ) {
    return this.billing.run(principal, period, { draft });
  }

  @Mutation(() => InvoiceObject, { description: 'provider_admin: issue a draft invoice (numbers it, sends it to Stripe)' })
  @CallableBy(ContractsPermissions.changeInvoices)
  issueInvoice(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The draft invoice to issue' }) id: string) {
    return this.service.issue(principal, id);
  }

  @Mutation(() => InvoiceObject, { description: 'provider_admin: void an unpaid invoice (also in Stripe)' })
  @CallableBy(ContractsPermissions.changeInvoices)
  voidInvoice(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The invoice to void' }) id: string) {
    return this.service.void(principal, id);
  }

  @Mutation(() => InvoiceObject, { description: 'provider_admin: try again an invoice Stripe refused, once the cause is fixed' })
  @CallableBy(ContractsPermissions.changeInvoices)
  retryStripeSync(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID, description: 'The invoice whose Stripe sync FAILED' }) id: string) {
    return this.service.retrySync(principal, id);
  }

  @ResolveReference()
  @ReferenceCallableBy(ContractsPermissions.readInvoices)
  resolveReference(ref: { id: string }, ctx: SubgraphContext) {
    return requestLoader<InvoiceEntity>(ctx.req, 'invoice', (ids) => this.service.visibleByIds(principalOf(ctx), ids)).load(ref.id);
  }

  @ResolveField(() => [InvoiceLineObject], { description: 'The charges, in the order printed' })
  async lines(@Parent() invoice: InvoiceEntity, @Context() ctx: SubgraphContext): Promise<InvoiceLineObject[]> {
    const rows = await requestLoader<InvoiceLineEntity[]>(ctx.req, 'invoice-lines', (ids) => this.service.linesOf(ids)).load(invoice.id);
    return (rows ?? []).map((l) => ({ ...l, servicePeriod: l.serviceFrom && l.serviceTo ? { from: l.serviceFrom, to: l.serviceTo } : null }));
  }

  @ResolveField(() => Int, { description: 'The consumption tax rate (percent) of the invoice; the highest when several apply (see taxByRate)' })
  taxRate(@Parent() invoice: InvoiceEntity): number {
    return invoice.taxByRate[0]?.rate ?? 0;
  }

  @ResolveField(() => CustomerObject, { nullable: true, description: 'The billed customer; null on a partner invoice' })
  customer(@Parent() invoice: InvoiceEntity, @CurrentPrincipal() principal: Principal, @Context() ctx: SubgraphContext) {
    if (!invoice.customerId) return null;
    return requestLoader<CustomerEntity>(ctx.req, 'customer', (ids) => this.customers.visibleByIds(principal, ids)).load(invoice.customerId);
  }

  @ResolveField(() => PartnerObject, { nullable: true, description: 'The billed partner, on a partner invoice' })
  partner(@Parent() invoice: InvoiceEntity, @CurrentPrincipal() principal: Principal, @Context() ctx: SubgraphContext) {
    if (!invoice.partnerId) return null;
    return requestLoader<PartnerEntity>(ctx.req, 'partner', (ids) => this.customers.visiblePartnersByIds(principal, ids)).load(invoice.partnerId);
  }

  @ResolveField(() => InvoiceIssuerObject, { description: 'The provider as the qualified invoice issuer' })
  issuer(@Parent() invoice: InvoiceEntity): InvoiceIssuerObject {
    return { name: invoice.issuerName, registrationNumber: invoice.issuerRegistrationNumber };
  }

  @ResolveField(() => InvoiceRecipientObject, { description: 'Whom the invoice is addressed to' })
  recipient(@Parent() invoice: InvoiceEntity): InvoiceRecipientObject {
    return { kind: invoice.recipientKind, id: invoice.recipientId, name: invoice.recipientName };
  }

  @ResolveField(() => ReportRef, { nullable: true, description: 'The invoice PDF, once reporting has rendered it' })
  pdf(@Parent() invoice: InvoiceEntity): ReportRef | null {
    return reportRef(invoice.pdfReportId);
  }
}

@Resolver(() => BillingRunObject)
export class BillingRunResolver {
  constructor(private readonly service: InvoicesService) {}

  @ResolveField(() => [InvoiceObject], { description: 'The live invoices of the period, by number' })
  @CallableBy(ContractsPermissions.readInvoices)
  invoices(@Parent() run: BillingRunEntity, @CurrentPrincipal() principal: Principal) {
    return this.service.invoicesOfPeriod(principal, run.period);
  }
}
