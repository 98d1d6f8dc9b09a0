import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ContractEntitlementsBody, ContractEventStatus, EscalationContact, PlanCode, ServiceHours } from '@kanshi/events';

export interface ContractTermsRow {
  contractId: string;
  customerId: string;
  plan: PlanCode;
  serviceHours: ServiceHours | null;
  escalationContacts: EscalationContact[];
  isolationPreApproved: boolean;
  isolationOnAutomaticVerdicts: boolean;
  status: ContractEventStatus;
  updatedAt: Date;
}

@Injectable()
export class CustomerTermsRepository {
  constructor(private readonly ds: DataSource) {}

  // Events may arrive late or twice: an older fact never overwrites a newer one.
  async apply(em: EntityManager, body: ContractEntitlementsBody, occurredAt: string): Promise<void> {
    await em.query(
      `INSERT INTO incident.customer_terms
         (contract_id, customer_id, plan, service_hours, escalation_contacts, isolation_pre_approved, isolation_on_automatic_verdicts, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (contract_id) DO UPDATE SET
         customer_id = EXCLUDED.customer_id, plan = EXCLUDED.plan, service_hours = EXCLUDED.service_hours,
         escalation_contacts = EXCLUDED.escalation_contacts, isolation_pre_approved = EXCLUDED.isolation_pre_approved,
         isolation_on_automatic_verdicts = EXCLUDED.isolation_on_automatic_verdicts, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
       WHERE incident.customer_terms.updated_at <= EXCLUDED.updated_at`,
      [
        body.contractId,
        body.customerId,
        body.plan,
        body.serviceHours ?? null,
        JSON.stringify(body.escalationContacts),
        body.isolationPreApproved,
        body.isolationOnAutomaticVerdicts ?? false,
        body.status,
        occurredAt,
      ],
    );
  }

  // Every contract of the customer, in force first (active, then onboarding), newest first.
  async forCustomer(customerId: string, em?: EntityManager): Promise<ContractTermsRow[]> {
    const rows: RawTerms[] = await (em ?? this.ds).query(
      `SELECT * FROM incident.customer_terms WHERE customer_id = $1
       ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'pending_onboarding' THEN 1 ELSE 2 END, updated_at DESC, contract_id`,
      [customerId],
    );
    return rows.map((r) => ({
      contractId: r.contract_id,
      customerId: r.customer_id,
      plan: r.plan,
      serviceHours: r.service_hours,
      escalationContacts: r.escalation_contacts,
      isolationPreApproved: r.isolation_pre_approved,
      isolationOnAutomaticVerdicts: r.isolation_on_automatic_verdicts,
      status: r.status,
      updatedAt: new Date(r.updated_at),
    }));
  }
}

interface RawTerms {
  contract_id: string;
  customer_id: string;
  plan: PlanCode;
  service_hours: ServiceHours | null;
  escalation_contacts: EscalationContact[];
  isolation_pre_approved: boolean;
  isolation_on_automatic_verdicts: boolean;
  status: ContractEventStatus;
  updated_at: Date;
}
