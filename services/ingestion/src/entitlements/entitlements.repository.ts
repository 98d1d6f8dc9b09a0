import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ContractEntitlementsBody } from '@kanshi/events';

// What ingestion acts on for a customer, from all of its contracts.
export interface CustomerEntitlement {
  customerId: string;
  // a contract in force (signed and not terminated: onboarding or active): sensors may be
  // registered and send. Onboarding needs it: contracts activates a contract only after its
  // sensors are registered and have sent their first event.
  active: boolean;
  // an active contract whose plan or option includes liveness monitoring
  livenessMonitoring: boolean;
  // the longest log retention of any of its contracts (terminated ones too: what was received
  // under a contract is kept as that contract said); null when the customer has no contract
  retentionMonths: number | null;
}

// Plans that include device up/down monitoring; other plans have it only as the option.
const PLANS_WITH_LIVENESS = new Set(['FE_SECURITY_MONITORING', 'INTEGRATED_MANAGEMENT']);

export function includesLiveness(body: Pick<ContractEntitlementsBody, 'plan' | 'options' | 'livenessMonitoring'>): boolean {
  return body.livenessMonitoring || body.options.includes('LIVENESS_MONITORING') || PLANS_WITH_LIVENESS.has(body.plan);
}

@Injectable()
export class EntitlementsRepository {
  constructor(private readonly ds: DataSource) {}

  // Events may arrive late or twice: an older fact never overwrites a newer one.
  async apply(em: EntityManager, body: ContractEntitlementsBody, occurredAt: string): Promise<void> {
    await em.query(
      `INSERT INTO ingestion.customer_contract
         (contract_id, customer_id, plan, options, liveness_monitoring, log_retention_months, status, start_date, end_date, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (contract_id) DO UPDATE SET
         customer_id = EXCLUDED.customer_id, plan = EXCLUDED.plan, options = EXCLUDED.options,
         liveness_monitoring = EXCLUDED.liveness_monitoring, log_retention_months = EXCLUDED.log_retention_months,
         status = EXCLUDED.status, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, updated_at = EXCLUDED.updated_at
       WHERE ingestion.customer_contract.updated_at <= EXCLUDED.updated_at`,
      [
        body.contractId,
        body.customerId,
        body.plan,
        body.options,
        includesLiveness(body),
        body.logRetentionMonths,
        body.status,
        body.startDate,
        body.endDate ?? null,
        occurredAt,
      ],
    );
  }

  async forCustomers(customerIds: readonly string[]): Promise<Map<string, CustomerEntitlement>> {
    const out = new Map<string, CustomerEntitlement>(customerIds.map((id) => [id, { customerId: id, active: false, livenessMonitoring: false, retentionMonths: null }]));
    if (customerIds.length === 0) return out;
    const rows: { customer_id: string; active: boolean; liveness: boolean; retention: number }[] = await this.ds.query(
      `SELECT customer_id, bool_or(status IN ('pending_onboarding', 'active')) AS active, bool_or(status = 'active' AND liveness_monitoring) AS liveness,
              max(log_retention_months) AS retention
       FROM ingestion.customer_contract WHERE customer_id = ANY($1::uuid[]) GROUP BY customer_id`,
      [customerIds],
    );
    for (const r of rows) out.set(r.customer_id, { customerId: r.customer_id, active: r.active, livenessMonitoring: r.liveness, retentionMonths: r.retention });
    return out;
  }

  async forCustomer(customerId: string): Promise<CustomerEntitlement> {
    return (await this.forCustomers([customerId])).get(customerId)!;
  }

  // Every retention class in use, for creating partitions ahead.
  async retentionClasses(): Promise<number[]> {
    const rows: { months: number }[] = await this.ds.query(`SELECT DISTINCT log_retention_months AS months FROM ingestion.customer_contract`);
    return rows.map((r) => r.months);
  }
}
