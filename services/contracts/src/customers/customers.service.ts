import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessError, authorize, canSeeCustomer, Principal, scopeOf } from '@kanshi/auth';
import { CustomerUpserted, PartnerUpserted } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { TenantDirectory } from '@kanshi/platform';
import { CatalogueService } from '../catalogue/catalogue.service';
import { assertUuid, isUuid } from '../common/ids';
import { ContractsError } from '../contracts.errors';
import { ContractsPermissions } from '../contracts.permissions';
import { findPlan } from '../pricing/catalogue';
import { planPricesFor } from '../pricing/contract-prices';
import { CreateCustomerInput, CreatePartnerInput, SetPartnerPricingInput, WholesalePriceInput } from './create-customer.input';
import { CustomerEntity } from './customer.entity';
import { CustomersRepository } from './customers.repository';
import { PartnerEntity, partnerPricingOf, WholesalePrices } from './partner.entity';
import { assertRegistrationNumber } from './registration-number';

@Injectable()
export class CustomersService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: CustomersRepository,
    private readonly outbox: Outbox,
    private readonly catalogue: CatalogueService,
    private readonly directory: TenantDirectory,
  ) {}

  list(principal: Principal, partnerId?: string): Promise<CustomerEntity[]> {
    authorize(principal, ContractsPermissions.readCustomers);
    return this.repo.findVisible(scopeOf(principal), partnerId);
  }

  partners(principal: Principal): Promise<PartnerEntity[]> {
    authorize(principal, ContractsPermissions.readPartners);
    return this.repo.findPartners(scopeOf(principal));
  }

  async createCustomer(principal: Principal, input: CreateCustomerInput): Promise<CustomerEntity> {
    authorize(principal, ContractsPermissions.createCustomers);
    const partnerId = principal.isPartner ? principal.partnerId : (input.partnerId ?? null);
    if (principal.isPartner && input.partnerId && input.partnerId !== principal.partnerId) {
      throw new ContractsError('BAD_INPUT', 'partnerId must be your own partner id', 'partnerId');
    }
    if (input.invoiceRegistrationNumber != null) assertRegistrationNumber(input.invoiceRegistrationNumber, 'invoiceRegistrationNumber');
    return this.ds.transaction(async (em) => {
      if (partnerId && !(await this.repo.partnerExists(em, partnerId))) throw new ContractsError('BAD_INPUT', `partner ${partnerId} does not exist`, 'partnerId');
      const customer = await this.repo.insertCustomer(em, {
        name: input.name,
        nameKana: input.nameKana ?? null,
        partnerId,
        postalCode: input.postalCode ?? null,
        address: input.address ?? null,
        invoiceRegistrationNumber: input.invoiceRegistrationNumber ?? null,
        billingContact: input.billingContact ? { ...input.billingContact } : null,
      });
      await this.outbox.add(em, CustomerUpserted, { customerId: customer.id, partnerId, name: customer.name }, { customerId: customer.id });
      return customer;
    });
  }

  async createPartner(principal: Principal, input: CreatePartnerInput): Promise<PartnerEntity> {
    authorize(principal, ContractsPermissions.createPartners);
    // Sales may register a partner, but its discount or wholesale prices are provider_admin's.
    if ((input.discountBps ?? 0) !== 0 || (input.wholesalePrices?.length ?? 0) > 0) authorize(principal, ContractsPermissions.setPartnerPricing);
    if (input.invoiceRegistrationNumber != null) assertRegistrationNumber(input.invoiceRegistrationNumber, 'invoiceRegistrationNumber');
    const pricing = await this.pricingFrom(input);
    return this.ds.transaction(async (em) => {
      const partner = await this.repo.insertPartner(em, {
        name: input.name,
        nameKana: input.nameKana ?? null,
        ...pricing,
        invoiceRegistrationNumber: input.invoiceRegistrationNumber ?? null,
        billingEmail: input.billingEmail ?? null,
        postalCode: input.postalCode ?? null,
        address: input.address ?? null,
      });
      await this.outbox.add(em, PartnerUpserted, { partnerId: partner.id, name: partner.name }, { customerId: null });
      return partner;
    });
  }

  async setPartnerPricing(principal: Principal, partnerId: string, input: SetPartnerPricingInput): Promise<PartnerEntity> {
    authorize(principal, ContractsPermissions.setPartnerPricing);
    assertUuid(partnerId, 'partnerId', 'partner');
    const pricing = await this.pricingFrom(input);
    const limits: Partial<Pick<PartnerEntity, 'quoteDiscountLimitBps' | 'quoteCustomLinesLimit'>> = {};
    if (input.quoteDiscountLimitBps != null) {
      if (!Number.isSafeInteger(input.quoteDiscountLimitBps) || input.quoteDiscountLimitBps < 0 || input.quoteDiscountLimitBps > 10_000) {
        throw new ContractsError('BAD_INPUT', 'quoteDiscountLimitBps must be between 0 and 10000 (100%)', 'quoteDiscountLimitBps');
      }
      limits.quoteDiscountLimitBps = input.quoteDiscountLimitBps;
    }
    if (input.quoteCustomLinesLimit != null) {
      if (!Number.isSafeInteger(input.quoteCustomLinesLimit) || input.quoteCustomLinesLimit < 0) {
        throw new ContractsError('BAD_INPUT', 'quoteCustomLinesLimit must be whole yen, 0 or more', 'quoteCustomLinesLimit');
      }
      limits.quoteCustomLinesLimit = input.quoteCustomLinesLimit;
    }
    return this.ds.transaction(async (em) => {
      const partner = await this.repo.partnerForUpdate(em, partnerId);
      if (!partner) throw new ContractsError('NOT_FOUND', `partner ${partnerId} not found`);
      return this.repo.savePartner(em, Object.assign(partner, pricing, limits));
    });
  }

  // Entity references from other subgraphs, filtered to what the caller may see.
  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, CustomerEntity>> {
    const scope = scopeOf(principal);
    const rows = await this.repo.findByIds(ids.filter(isUuid));
    const visible = rows.filter((c) => canSeeCustomer(scope, { customerId: c.id, partnerId: c.partnerId }));
    return new Map(visible.map((c) => [c.id, c]));
  }

  async visiblePartnersByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, PartnerEntity>> {
    const scope = scopeOf(principal);
    if (scope.kind === 'customer') return new Map();
    const rows = await this.repo.findPartnersByIds(ids.filter(isUuid));
    return new Map(rows.filter((p) => scope.kind === 'all' || p.id === scope.partnerId).map((p) => [p.id, p]));
  }

  // A customer the caller may act on, or NOT_FOUND (CUSTOMER_NOT_FOUND) on `field`: another
  // tenant's customer reads exactly like a missing one.
  async visibleCustomerOrThrow(principal: Principal, customerId: string, field = 'customerId'): Promise<CustomerEntity> {
    await this.directory.visibleCustomerOrThrow(principal, customerId, field);
    const [customer] = await this.repo.findByIds([customerId]);
    // customers are never deleted, so a customer just found visible is there
    if (!customer) throw new AccessError('CUSTOMER_NOT_FOUND', `customer ${customerId} not found`, field);
    return customer;
  }

  async partnerOf(customer: CustomerEntity): Promise<PartnerEntity | null> {
    if (!customer.partnerId) return null;
    return (await this.repo.findPartnersByIds([customer.partnerId]))[0] ?? null;
  }

  // Either a discount or wholesale prices, checked against the catalogue in force.
  private async pricingFrom(input: { discountBps?: number | null; wholesalePrices?: WholesalePriceInput[] | null }): Promise<Pick<PartnerEntity, 'discountBps' | 'wholesalePrices'>> {
    const discountBps = input.discountBps ?? 0;
    const list = input.wholesalePrices ?? [];
    if (!Number.isSafeInteger(discountBps) || discountBps < 0 || discountBps > 10_000) {
      throw new ContractsError('BAD_INPUT', 'discountBps must be between 0 and 10000 (100%)', 'discountBps');
    }
    if (discountBps > 0 && list.length > 0) throw new ContractsError('BAD_INPUT', 'a partner has either a discount or wholesale prices, not both', 'wholesalePrices');
    const wholesalePrices: WholesalePrices = {};
    if (list.length > 0) {
      const catalogue = await this.catalogue.catalogue();
      list.forEach((entry, i) => {
        const field = `wholesalePrices.${i}`;
        if (wholesalePrices[entry.plan]) throw new ContractsError('BAD_INPUT', `plan ${entry.plan} is listed twice`, field);
        const prices = Object.fromEntries(
          (['initialFee', 'monthlyFee', 'perEndpointMonthlyFee'] as const).filter((k) => entry[k] != null).map((k) => [k, entry[k] as number]),
        );
        if (Object.keys(prices).length === 0) throw new ContractsError('BAD_INPUT', `give at least one price for ${entry.plan}`, field);
        wholesalePrices[entry.plan] = prices;
        // Throws BAD_USER_INPUT for a negative price or a fee the plan does not have.
        try {
          planPricesFor(findPlan(catalogue, entry.plan), partnerPricingOf({ discountBps: 0, wholesalePrices: { [entry.plan]: prices } }));
        } catch (err) {
          if (err instanceof ContractsError) throw new ContractsError('BAD_INPUT', err.message, field);
          throw err;
        }
      });
    }
    return { discountBps, wholesalePrices };
  }
}
