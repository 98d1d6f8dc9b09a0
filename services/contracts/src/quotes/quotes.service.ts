import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { QuoteIssued, QuoteIssuedV2 } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { addDays, Clock, toTokyoDate } from '@kanshi/calendar';
import { formatInvoiceNumber } from '../billing/invoice-number';
import { quoteIssuedV2 } from '../billing/issued-document-events';
import { CatalogueService } from '../catalogue/catalogue.service';
import { DocumentNumbersRepository } from '../common/document-numbers.repository';
import { ContractsConfig } from '../config';
import { CONTRACTS_CONFIG } from '../contracts-core.module';
import { ContractsError } from '../contracts.errors';
import { ContractsPermissions } from '../contracts.permissions';
import { CustomersService } from '../customers/customers.service';
import { PartnerEntity, partnerPricingOf } from '../customers/partner.entity';

import { computeQuote, QuoteCustomLineInput, QuoteDiscount, QuoteLine } from '../pricing/quote-calculator';
import { CreateQuoteInput } from './create-quote.input';
import { QuoteEntity, QuoteStatus } from './quote.entity';
import { QuotesRepository } from './quotes.repository';

@Injectable()
export class QuotesService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: QuotesRepository,
    private readonly numbers: DocumentNumbersRepository,
    private readonly customers: CustomersService,
    private readonly catalogue: CatalogueService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(CONTRACTS_CONFIG) private readonly config: ContractsConfig,
  ) {}

  list(principal: Principal, customerId?: string): Promise<QuoteEntity[]> {
    authorize(principal, ContractsPermissions.readQuotes);
    return this.repo.list(scopeOf(principal), customerId);
  }

  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, QuoteEntity>> {
    return new Map((await this.repo.visibleByIds(scopeOf(principal), ids)).map((q) => [q.id, q]));
  }

  // What the caller sees: a draft or sent quote past its validity reads as expired.
  statusOf(quote: QuoteEntity): QuoteStatus {
    if ((quote.status === 'DRAFT' || quote.status === 'SENT') && this.clock.today() > quote.validUntil) return QuoteStatus.EXPIRED;
    return quote.status;
  }

  // Sales quote for anyone; a partner for its own customers. Prices are the catalogue's in force
  // today, or the partner's terms for a partner's customer.
  async create(principal: Principal, input: CreateQuoteInput): Promise<QuoteEntity> {
    authorize(principal, ContractsPermissions.manageQuotes);
    const customer = await this.customers.visibleCustomerOrThrow(principal, input.customerId);
    const partner = await this.customers.partnerOf(customer);
    const pricing = partnerPricingOf(partner);
    const today = this.clock.today();
    const startDate = toTokyoDate(input.startDate, 'startDate');
    if (startDate < today) throw new ContractsError('BAD_INPUT', `the service cannot start in the past (${startDate} is before ${today})`, 'startDate');
    const validDays = input.validDays ?? this.config.QUOTE_VALIDITY_DAYS;
    if (!Number.isSafeInteger(validDays) || validDays < 1 || validDays > 365) throw new ContractsError('BAD_INPUT', 'validDays must be between 1 and 365', 'validDays');
    const customLines: QuoteCustomLineInput[] = (input.customLines ?? []).map((l) => ({
      description: l.description,
      ...(l.descriptionJa != null ? { descriptionJa: l.descriptionJa } : {}),
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      ...(l.recurring != null ? { recurring: l.recurring } : {}),
      ...(l.taxRate != null ? { taxRate: l.taxRate } : {}),
    }));
    const discount = (input.discount ? { ...input.discount } : null) as QuoteDiscount | null;
    const result = computeQuote(
      {
        plan: input.plan,
        serviceHours: (input.serviceHours ?? null),
        options: (input.options ?? []),
        endpointCount: input.endpointCount ?? null,
        termMonths: input.termMonths ?? 12,
        customLines,
        discount,
        quoteDate: today,
      },
      await this.catalogue.catalogue(),
      pricing,
      { taxRounding: this.config.TAX_ROUNDING },
    );
    // a partner's own quote: a discount or custom lines beyond its limits wait for provider approval
    const approvalReasons = principal.isPartner && partner ? partnerApprovalReasons(partner, result.lines) : [];
    return this.ds.transaction(async (em) => {
      const year = Number(today.slice(0, 4));
      const sequence = await this.numbers.allocate(em, this.config.QUOTE_NUMBER_PREFIX, year);
      return this.repo.insert(em, {
        number: formatInvoiceNumber(year, sequence, this.config.QUOTE_NUMBER_PREFIX),
        customerId: customer.id,
        plan: result.plan,
        planVersion: result.planVersion,
        serviceHours: result.serviceHours,
        options: [...new Set(input.options ?? [])],
        endpointCount: input.endpointCount ?? null,
        termMonths: result.termMonths,
        startDate,
        quoteDate: today,
        validUntil: addDays(today, validDays),
        customLines,
        discount,
        lines: result.lines,
        subtotal: result.subtotal,
        tax: result.tax,
        total: result.total,
        taxByRate: result.taxByRate,
        oneTimeTotal: result.oneTimeTotal,
        monthlyTotal: result.monthlyTotal,
        contractPrices: result.contractPrices,
        partnerPricing: pricing,
        status: 'DRAFT',
        createdBy: principal.subject,
        approvalReasons,
      });
    });
  }

  // Sending issues the quote: reporting renders its PDF from the quote.issued event.
  async send(principal: Principal, id: string): Promise<QuoteEntity> {
    authorize(principal, ContractsPermissions.manageQuotes);
    return this.ds.transaction(async (em) => {
      const quote = await this.lockedOrThrow(em, principal, id);
      const status = this.statusOf(quote);
      if (status === QuoteStatus.SENT) return quote;
      if (status !== QuoteStatus.DRAFT) throw new ContractsError('BAD_INPUT', `quote ${quote.number} is ${status.toLowerCase()} and cannot be sent`, 'id');
      if (quote.approvalReasons.length > 0 && !quote.approvedAt) {
        throw new ContractsError('BAD_INPUT', `quote ${quote.number} needs provider approval before it is sent (${quote.approvalReasons.join('; ')})`, 'id');
      }
      quote.status = 'SENT';
      quote.sentAt = this.clock.now();
      const saved = await this.repo.save(em, quote);
      await this.outbox.add(em, QuoteIssued, { quoteId: quote.id, customerId: quote.customerId, number: quote.number }, { customerId: quote.customerId });
      const customer = await this.customers.visibleCustomerOrThrow(principal, quote.customerId);
      const issuer = { name: this.config.INVOICE_ISSUER_NAME, registrationNumber: this.config.INVOICE_ISSUER_REGISTRATION_NUMBER };
      await this.outbox.add(em, QuoteIssuedV2, quoteIssuedV2(saved, customer, issuer), { customerId: quote.customerId });
      return saved;
    });
  }

  // Provider approval of a partner's draft whose discount or custom lines exceed the partner's limits.
  async approve(principal: Principal, id: string): Promise<QuoteEntity> {
    authorize(principal, ContractsPermissions.approveQuotes);
    return this.ds.transaction(async (em) => {
      const quote = await this.lockedOrThrow(em, principal, id);
      const status = this.statusOf(quote);
      if (quote.approvalReasons.length === 0) throw new ContractsError('BAD_INPUT', `quote ${quote.number} is within its partner's limits and needs no approval`, 'id');
      if (quote.approvedAt) return quote;
      if (status !== QuoteStatus.DRAFT) throw new ContractsError('BAD_INPUT', `quote ${quote.number} is ${status.toLowerCase()}; only a draft is approved`, 'id');
      quote.approvedAt = this.clock.now();
      quote.approvedBy = principal.subject;
      return this.repo.save(em, quote);
    });
  }

  async withdraw(principal: Principal, id: string): Promise<QuoteEntity> {
    authorize(principal, ContractsPermissions.manageQuotes);
    return this.ds.transaction(async (em) => {
      const quote = await this.lockedOrThrow(em, principal, id);
      if (quote.status === 'WITHDRAWN') return quote;
      if (quote.status === 'ACCEPTED') throw new ContractsError('BAD_INPUT', `quote ${quote.number} was accepted; terminate the contract instead`, 'id');
      quote.status = 'WITHDRAWN';
      quote.withdrawnAt = this.clock.now();
      return this.repo.save(em, quote);
    });
  }

  // For acceptQuote: the quote locked, sent, and valid today. A missing, foreign, draft (never
  // sent), expired, withdrawn or already accepted quote is bad input on `id`.
  async lockForAcceptance(em: EntityManager, principal: Principal, id: string): Promise<QuoteEntity> {
    const quote = await this.lockedOrThrow(em, principal, id);
    const status = this.statusOf(quote);
    if (status === QuoteStatus.EXPIRED) throw new ContractsError('BAD_INPUT', `quote ${quote.number} expired on ${quote.validUntil}`, 'id');
    if (status === QuoteStatus.DRAFT) throw new ContractsError('BAD_INPUT', `quote ${quote.number} is a draft: it can be accepted once it is sent (sendQuote)`, 'id');
    if (status !== QuoteStatus.SENT) throw new ContractsError('BAD_INPUT', `quote ${quote.number} is ${status.toLowerCase()}`, 'id');
    return quote;
  }

  async markAccepted(em: EntityManager, quote: QuoteEntity): Promise<void> {
    quote.status = 'ACCEPTED';
    quote.acceptedAt = this.clock.now();
    await this.repo.save(em, quote);
  }

  setPdf(em: EntityManager, quoteId: string, reportId: string): Promise<void> {
    return this.repo.setPdf(em, quoteId, reportId);
  }

  private async lockedOrThrow(em: EntityManager, principal: Principal, id: string): Promise<QuoteEntity> {
    const quote = await this.repo.forUpdate(em, scopeOf(principal), id);
    if (!quote) throw new ContractsError('BAD_INPUT', `quote ${id} not found`, 'id');
    return quote;
  }
}

/**
 * Why a partner's own quote needs provider approval: its discount is above the partner's limit
 * (as a share of the quote's lines before the discount), or it has custom lines at 0 yen or above
 * the partner's limit in all. Empty when it needs none.
 */
export function partnerApprovalReasons(partner: Pick<PartnerEntity, 'quoteDiscountLimitBps' | 'quoteCustomLinesLimit'>, lines: readonly QuoteLine[]): string[] {
  const reasons: string[] = [];
  const discount = -lines.filter((l) => l.code === 'DISCOUNT').reduce((n, l) => n + l.amount, 0);
  const base = lines.filter((l) => l.code !== 'DISCOUNT').reduce((n, l) => n + l.amount, 0);
  if (discount > 0) {
    const bps = base > 0 ? Math.ceil((discount * 10000) / base) : 10000;
    if (bps > partner.quoteDiscountLimitBps) reasons.push(`a discount of ${bps / 100}% is above the partner's limit of ${partner.quoteDiscountLimitBps / 100}%`);
  }
  const custom = lines.filter((l) => l.code === 'CUSTOM');
  if (custom.some((l) => l.unitPrice === 0)) reasons.push('custom lines at 0 yen');
  const customTotal = custom.reduce((n, l) => n + l.amount, 0);
  if (customTotal > partner.quoteCustomLinesLimit) reasons.push(`custom lines of ${customTotal} yen are above the partner's limit of ${partner.quoteCustomLinesLimit} yen`);
  return reasons;
}
