import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { ContractActivated, ContractChanged, ContractEntitlementsBody, ContractTerminated, EventDefinition, OptionCode } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { Clock, toTokyoDate } from '@kanshi/calendar';
import { CatalogueService } from '../catalogue/catalogue.service';
import { ContractsError } from '../contracts.errors';
import { ContractsPermissions } from '../contracts.permissions';
import { CustomersRepository } from '../customers/customers.repository';

import { QuotesService } from '../quotes/quotes.service';
import { TermsAcceptanceEntity } from '../terms/terms.entity';
import { TermsService } from '../terms/terms.service';
import { ContractSetupInput } from './contract-setup.input';
import { ContractEntity, CustomerSensorEntity } from './contract.entity';
import { ContractsRepository } from './contracts.repository';
import { applySetup, changesIsolationPreApproval, DEFAULT_LOG_RETENTION_MONTHS, entitlementsOf, sameContacts } from './entitlements';
import { OnboardingChecklist, onboardingChecklist } from './onboarding';

@Injectable()
export class ContractsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ContractsRepository,
    private readonly quotes: QuotesService,
    private readonly terms: TermsService,
    private readonly customers: CustomersRepository,
    private readonly catalogue: CatalogueService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  list(principal: Principal, customerId?: string): Promise<ContractEntity[]> {
    authorize(principal, ContractsPermissions.readContracts);
    return this.repo.list(scopeOf(principal), customerId);
  }

  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, ContractEntity>> {
    return new Map((await this.repo.visibleByIds(scopeOf(principal), ids)).map((c) => [c.id, c]));
  }

  sensorsOf(customerIds: readonly string[]): Promise<CustomerSensorEntity[]> {
    return this.repo.sensorsOf(customerIds);
  }

  acceptancesOf(contractIds: readonly string[]): Promise<TermsAcceptanceEntity[]> {
    return this.terms.acceptancesOf(contractIds);
  }

  // The customer (or sales or the partner on its behalf) accepts a quote under the terms in
  // force: the contract, the terms acceptance and the quote's new state commit together.
  async acceptQuote(principal: Principal, quoteId: string, termsVersion: string, setupInput?: ContractSetupInput | null): Promise<ContractEntity> {
    authorize(principal, ContractsPermissions.acceptQuotes);
    const setup = applySetup(setupInput);
    if (setup.logRetentionMonths > DEFAULT_LOG_RETENTION_MONTHS) authorize(principal, ContractsPermissions.extendLogRetention);
    if (changesIsolationPreApproval(applySetup(null), setup)) authorize(principal, ContractsPermissions.preApproveIsolation);
    return this.ds.transaction(async (em) => {
      const quote = await this.quotes.lockForAcceptance(em, principal, quoteId);
      const terms = await this.terms.currentOrThrow(em, termsVersion);
      const contract = await this.repo.insert(em, {
        customerId: quote.customerId,
        quoteId: quote.id,
        plan: quote.plan,
        planVersion: quote.planVersion,
        serviceHours: quote.serviceHours,
        options: quote.options,
        endpointCount: quote.endpointCount,
        prices: quote.contractPrices,
        termMonths: quote.termMonths,
        startDate: quote.startDate,
        endDate: null,
        status: 'PENDING_ONBOARDING',
        ...setup,
        createdBy: principal.subject,
      });
      await this.terms.record(em, terms, contract, principal);
      await this.quotes.markAccepted(em, quote);
      await this.emit(em, ContractChanged, contract);
      return contract;
    });
  }

  async update(principal: Principal, id: string, input: ContractSetupInput): Promise<ContractEntity> {
    authorize(principal, ContractsPermissions.changeContracts);
    return this.ds.transaction(async (em) => {
      const contract = await this.lockedOrThrow(em, principal, id);
      if (contract.status === 'TERMINATED') throw new ContractsError('BAD_INPUT', 'a terminated contract cannot be changed', 'id');
      const next = applySetup(input, contract);
      if (next.logRetentionMonths > Math.max(DEFAULT_LOG_RETENTION_MONTHS, contract.logRetentionMonths)) authorize(principal, ContractsPermissions.extendLogRetention);
      if (changesIsolationPreApproval(contract, next)) authorize(principal, ContractsPermissions.preApproveIsolation);
      // Changed contacts must be confirmed again before they count for onboarding.
      if (!sameContacts(next.escalationContacts, contract.escalationContacts)) {
        contract.contactsConfirmedAt = null;
        contract.contactsConfirmedBy = null;
      }
      Object.assign(contract, next);
      const saved = await this.repo.save(em, contract);
      await this.emit(em, ContractChanged, saved);
      return saved;
    });
  }

  async confirmContacts(principal: Principal, id: string): Promise<ContractEntity> {
    authorize(principal, ContractsPermissions.confirmContacts);
    return this.ds.transaction(async (em) => {
      const contract = await this.lockedOrThrow(em, principal, id);
      if (contract.escalationContacts.length === 0) throw new ContractsError('BAD_INPUT', 'add escalation contacts before confirming them', 'escalationContacts');
      contract.contactsConfirmedAt = this.clock.now();
      contract.contactsConfirmedBy = principal.subject;
      return this.repo.save(em, contract);
    });
  }

  // Provider staff start the service once onboarding is complete. Billing starts that day, or on
  // the contract's start date if that is later.
  async activate(principal: Principal, id: string): Promise<ContractEntity> {
    authorize(principal, ContractsPermissions.activateContracts);
    return this.ds.transaction(async (em) => {
      const contract = await this.lockedOrThrow(em, principal, id);
      if (contract.status === 'ACTIVE') return contract;
      if (contract.status !== 'PENDING_ONBOARDING') throw new ContractsError('CONFLICT', `the contract is ${contract.status.toLowerCase()}`, 'id');
      const [checklist] = await this.onboardingWithin(em, contract);
      if (!checklist.complete) throw new ContractsError('CONFLICT', `onboarding is not complete: ${checklist.missing.join('; ')}`, 'id');
      const today = this.clock.today();
      contract.status = 'ACTIVE';
      contract.activatedAt = this.clock.now();
      contract.activatedBy = principal.subject;
      contract.serviceStartDate = contract.startDate > today ? contract.startDate : today;
      const saved = await this.repo.save(em, contract);
      await this.emit(em, ContractActivated, saved);
      return saved;
    });
  }

  // The service ends after `endDate` (inclusive); the last month is billed pro rata to it.
  async terminate(principal: Principal, id: string, endDate: string): Promise<ContractEntity> {
    authorize(principal, ContractsPermissions.terminateContracts);
    const end = toTokyoDate(endDate, 'endDate');
    return this.ds.transaction(async (em) => {
      const contract = await this.lockedOrThrow(em, principal, id);
      if (contract.status === 'TERMINATED') throw new ContractsError('CONFLICT', `the contract already ended on ${contract.endDate}`, 'id');
      const today = this.clock.today();
      if (end < today) throw new ContractsError('BAD_INPUT', `a contract cannot end in the past (${end} is before ${today})`, 'endDate');
      if (end < contract.startDate) throw new ContractsError('BAD_INPUT', `the contract starts on ${contract.startDate}; it cannot end before`, 'endDate');
      contract.status = 'TERMINATED';
      contract.endDate = end;
      contract.terminatedAt = this.clock.now();
      contract.terminatedBy = principal.subject;
      const saved = await this.repo.save(em, contract);
      await this.emit(em, ContractTerminated, saved);
      return saved;
    });
  }

  // A running contract accepts a newly published version of the terms.
  async acceptTerms(principal: Principal, id: string, termsVersion: string): Promise<ContractEntity> {
    authorize(principal, ContractsPermissions.acceptTerms);
    return this.ds.transaction(async (em) => {
      const contract = await this.lockedOrThrow(em, principal, id);
      if (contract.status === 'TERMINATED') throw new ContractsError('BAD_INPUT', 'the contract has ended', 'id');
      const terms = await this.terms.currentOrThrow(em, termsVersion);
      if (!(await this.terms.alreadyAccepted(em, contract.id, terms.version))) await this.terms.record(em, terms, contract, principal);
      return contract;
    });
  }

  private async onboardingWithin(em: EntityManager, contract: ContractEntity): Promise<OnboardingChecklist[]> {
    const sensors = await this.repo.sensorsOf([contract.customerId], em);
    return [onboardingChecklist(contract, sensors)];
  }

  private async lockedOrThrow(em: EntityManager, principal: Principal, id: string): Promise<ContractEntity> {
    const contract = await this.repo.forUpdate(em, scopeOf(principal), id);
    if (!contract) throw new ContractsError('NOT_FOUND', `contract ${id} not found`);
    return contract;
  }

  private async emit(em: EntityManager, def: EventDefinition<ContractEntitlementsBody>, contract: ContractEntity): Promise<void> {
    const [customer] = await this.customers.findByIdsWith(em, [contract.customerId]);
    const catalogue = await this.catalogue.catalogue(em);
    const plan = catalogue.plans.find((p) => p.code === contract.plan && p.version === contract.planVersion);
    const livenessIncluded = plan?.includedOptions.includes(OptionCode.LIVENESS_MONITORING) ?? false;
    await this.outbox.add(em, def, entitlementsOf(contract, customer?.partnerId ?? null, livenessIncluded), { customerId: contract.customerId });
  }
}
