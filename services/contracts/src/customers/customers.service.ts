import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal, scopeOf } from '@kanshi/auth';
import { CustomerUpserted, PartnerUpserted } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { DomainError } from '@kanshi/platform';
import { CreateCustomerInput, CreatePartnerInput } from './create-customer.input';
import { CustomerEntity } from './customer.entity';
import { CustomersRepository } from './customers.repository';
import { PartnerEntity } from './partner.entity';

@Injectable()
export class CustomersService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: CustomersRepository,
    private readonly outbox: Outbox,
  ) {}

  list(principal: Principal, partnerId?: string): Promise<CustomerEntity[]> {
    return this.repo.findVisible(scopeOf(principal), partnerId);
  }

  partners(principal: Principal): Promise<PartnerEntity[]> {
    return this.repo.findPartners(scopeOf(principal));
  }

  async createCustomer(principal: Principal, input: CreateCustomerInput): Promise<CustomerEntity> {
    // A partner creates customers under itself only; provider staff may create either kind.
    if (principal.isCustomer) throw new DomainError('FORBIDDEN', 'customers cannot create customers');
    if (principal.isProvider && !principal.hasRole('provider_admin', 'sales')) throw new DomainError('FORBIDDEN', `role ${principal.role} may not create customers`);
    const partnerId = principal.isPartner ? principal.partnerId : (input.partnerId ?? null);
    if (principal.isPartner && input.partnerId && input.partnerId !== principal.partnerId) {
      throw new DomainError('BAD_USER_INPUT', 'partnerId must be your own partner id', 'partnerId');
    }
    return this.ds.transaction(async (em) => {
      if (partnerId && !(await this.repo.partnerExists(em, partnerId))) throw new DomainError('BAD_USER_INPUT', `partner ${partnerId} does not exist`, 'partnerId');
      const customer = await this.repo.insertCustomer(em, {
        name: input.name,
        nameKana: input.nameKana ?? null,
        partnerId,
        postalCode: input.postalCode ?? null,
        address: input.address ?? null,
        invoiceRegistrationNumber: input.invoiceRegistrationNumber ?? null,
        billingContact: input.billingContact ?? null,
      });
      await this.outbox.add(em, CustomerUpserted, { customerId: customer.id, partnerId, name: customer.name }, { customerId: customer.id });
      return customer;
    });
  }

  async createPartner(principal: Principal, input: CreatePartnerInput): Promise<PartnerEntity> {
    if (!principal.hasRole('provider_admin', 'sales')) throw new DomainError('FORBIDDEN', `role ${principal.role} may not create partners`);
    return this.ds.transaction(async (em) => {
      const partner = await this.repo.insertPartner(em, {
        name: input.name,
        nameKana: input.nameKana ?? null,
        discountBps: input.discountBps ?? 0,
        invoiceRegistrationNumber: input.invoiceRegistrationNumber ?? null,
        billingEmail: input.billingEmail ?? null,
      });
      await this.outbox.add(em, PartnerUpserted, { partnerId: partner.id, name: partner.name }, { customerId: null });
      return partner;
    });
  }

  // Entity references from other subgraphs, filtered to what the caller may see.
  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, CustomerEntity>> {
    const scope = scopeOf(principal);
    const rows = await this.repo.findByIds(ids);
    const visible = rows.filter((c) => scope.kind === 'all' || (scope.kind === 'customer' ? c.id === scope.customerId : c.partnerId === scope.partnerId));
    return new Map(visible.map((c) => [c.id, c]));
  }

  async visiblePartnersByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, PartnerEntity>> {
    const scope = scopeOf(principal);
    if (scope.kind === 'customer') return new Map();
    const rows = await this.repo.findPartnersByIds(ids);
    return new Map(rows.filter((p) => scope.kind === 'all' || p.id === scope.partnerId).map((p) => [p.id, p]));
  }
}
