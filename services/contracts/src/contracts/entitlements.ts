import { CONTRACT_EVENT_STATUS, ContractEntitlementsBody } from '@kanshi/events';
import { ContractsError } from '../contracts.errors';
import { ContractEntity, EscalationContactValue } from './contract.entity';
import { ContractSetupInput, MONITORED_PRODUCTS } from './contract-setup.input';

export const DEFAULT_LOG_RETENTION_MONTHS = 3;
const MAX_CONTACTS = 20;

export interface ContractSetup {
  monitoredProducts: string[];
  escalationContacts: EscalationContactValue[];
  isolationPreApproved: boolean;
  isolationOnAutomaticVerdicts: boolean;
  logRetentionMonths: number;
}

// Applies a setup input over the current values (or the defaults), checking every field.
export function applySetup(input: ContractSetupInput | null | undefined, current?: ContractSetup): ContractSetup {
  const base: ContractSetup = current ?? { monitoredProducts: [], escalationContacts: [], isolationPreApproved: false, isolationOnAutomaticVerdicts: false, logRetentionMonths: DEFAULT_LOG_RETENTION_MONTHS };
  const next: ContractSetup = {
    monitoredProducts: base.monitoredProducts,
    escalationContacts: base.escalationContacts,
    isolationPreApproved: base.isolationPreApproved,
    isolationOnAutomaticVerdicts: base.isolationOnAutomaticVerdicts,
    logRetentionMonths: base.logRetentionMonths,
  };
  if (!input) return next;
  if (input.monitoredProducts != null) {
    input.monitoredProducts.forEach((p, i) => {
      if (!(MONITORED_PRODUCTS as readonly string[]).includes(p)) throw new ContractsError('BAD_INPUT', `unknown product ${JSON.stringify(p)}; one of ${MONITORED_PRODUCTS.join(', ')}`, `monitoredProducts.${i}`);
    });
    next.monitoredProducts = [...new Set(input.monitoredProducts)];
  }
  if (input.escalationContacts != null) {
    if (input.escalationContacts.length > MAX_CONTACTS) throw new ContractsError('BAD_INPUT', `at most ${MAX_CONTACTS} escalation contacts`, 'escalationContacts');
    next.escalationContacts = input.escalationContacts.map((c, i) => {
      if (!c.phone && !c.email) throw new ContractsError('BAD_INPUT', `${c.name}: give a phone number or an e-mail address`, `escalationContacts.${i}`);
      return { order: i + 1, name: c.name, ...(c.phone ? { phone: c.phone } : {}), ...(c.email ? { email: c.email } : {}), language: c.language ?? 'ja' };
    });
  }
  if (input.isolationPreApproved != null) next.isolationPreApproved = input.isolationPreApproved;
  if (input.isolationOnAutomaticVerdicts != null) next.isolationOnAutomaticVerdicts = input.isolationOnAutomaticVerdicts;
  if (input.logRetentionMonths != null) {
    if (!Number.isSafeInteger(input.logRetentionMonths) || input.logRetentionMonths < 1 || input.logRetentionMonths > 120) {
      throw new ContractsError('BAD_INPUT', 'logRetentionMonths must be between 1 and 120', 'logRetentionMonths');
    }
    next.logRetentionMonths = input.logRetentionMonths;
  }
  return next;
}

// Whether a setup turns isolation before the customer's confirmation on or off (either flag): the
// preApproveIsolation permission's business, not every role that may change a contract.
export function changesIsolationPreApproval(before: Pick<ContractSetup, 'isolationPreApproved' | 'isolationOnAutomaticVerdicts'>, after: Pick<ContractSetup, 'isolationPreApproved' | 'isolationOnAutomaticVerdicts'>): boolean {
  return before.isolationPreApproved !== after.isolationPreApproved || before.isolationOnAutomaticVerdicts !== after.isolationOnAutomaticVerdicts;
}

export function sameContacts(a: readonly EscalationContactValue[], b: readonly EscalationContactValue[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// What other services act on: what was bought, when the SOC works, whom to call, what it may do.
export function entitlementsOf(contract: ContractEntity, partnerId: string | null, livenessIncludedInPlan: boolean): ContractEntitlementsBody {
  return {
    contractId: contract.id,
    customerId: contract.customerId,
    partnerId,
    plan: contract.plan as ContractEntitlementsBody['plan'],
    serviceHours: contract.serviceHours ?? null,
    options: contract.options,
    livenessMonitoring: livenessIncludedInPlan || contract.options.includes('LIVENESS_MONITORING'),
    monitoredProducts: contract.monitoredProducts,
    escalationContacts: contract.escalationContacts.map((c) => ({ order: c.order, name: c.name, phone: c.phone, email: c.email, language: c.language })),
    isolationPreApproved: contract.isolationPreApproved,
    isolationOnAutomaticVerdicts: contract.isolationOnAutomaticVerdicts,
    logRetentionMonths: contract.logRetentionMonths,
    status: CONTRACT_EVENT_STATUS[contract.status],
    startDate: contract.serviceStartDate ?? contract.startDate,
    endDate: contract.endDate,
  };
}
