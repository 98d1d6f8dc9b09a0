import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ContractEventStatus, EscalationContact, PlanCode, ServiceHours } from '@kanshi/events';
import { CustomerTermsRepository } from './customer-terms.repository';

// What the incident service acts on for one customer: the plan and hours (SLA clocks), whom to call
// in which order and in which language (notifications), and the isolation agreement.
export interface CustomerTermsView {
  customerId: string;
  contractId: string;
  plan: PlanCode;
  // null when the contract does not say (treated as around the clock).
  serviceHours: ServiceHours | null;
  // In calling order (by `order`).
  escalationContacts: EscalationContact[];
  isolationPreApproved: boolean;
  isolationOnAutomaticVerdicts: boolean;
  status: ContractEventStatus;
}

// The read model of contracts' entitlements (contracts.contract.activated/changed/terminated.v1).
// `forCustomer` picks the contract in force (active, else onboarding, else the latest terminated
// one), the most recently changed when there are several; null when the customer has none.
@Injectable()
export class CustomerTerms {
  constructor(private readonly repo: CustomerTermsRepository) {}

  async forCustomer(customerId: string, em?: EntityManager): Promise<CustomerTermsView | null> {
    const [best] = await this.repo.forCustomer(customerId, em);
    if (!best) return null;
    return {
      customerId: best.customerId,
      contractId: best.contractId,
      plan: best.plan,
      serviceHours: best.serviceHours,
      escalationContacts: [...best.escalationContacts].sort((a, b) => a.order - b.order),
      isolationPreApproved: best.isolationPreApproved,
      isolationOnAutomaticVerdicts: best.isolationPreApproved && best.isolationOnAutomaticVerdicts,
      status: best.status,
    };
  }
}
