import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ContractEntitlementsBody } from '@kanshi/events';

// The MDR customers and the EDRs their contracts cover, from contracts' events.
@Injectable()
export class CustomerContractsRepository {
  constructor(private readonly ds: DataSource) {}

  // Events may arrive late or twice: an older fact never overwrites a newer one.
  async apply(em: EntityManager, body: ContractEntitlementsBody, occurredAt: string): Promise<void> {
    await em.query(
      `INSERT INTO endpoint_response.customer_contract (contract_id, customer_id, plan, status, monitored_products, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (contract_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, plan = EXCLUDED.plan, status = EXCLUDED.status,
         monitored_products = EXCLUDED.monitored_products, updated_at = EXCLUDED.updated_at
       WHERE endpoint_response.customer_contract.updated_at <= EXCLUDED.updated_at`,
      [body.contractId, body.customerId, body.plan, body.status, body.monitoredProducts, occurredAt],
    );
  }

  // Customers with an active MDR contract: their managed endpoints are counted and billed.
  async mdrCustomers(): Promise<string[]> {
    const rows: { customer_id: string }[] = await this.ds.query(
      `SELECT DISTINCT customer_id FROM endpoint_response.customer_contract WHERE plan = 'MDR' AND status = 'active' ORDER BY customer_id`,
    );
    return rows.map((r) => r.customer_id);
  }
}
