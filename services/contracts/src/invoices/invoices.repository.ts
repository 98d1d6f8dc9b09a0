import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, Not, SelectQueryBuilder } from 'typeorm';
import { TenantScope } from '@kanshi/auth';
import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { decodeCursor } from '@kanshi/platform';
import { EndpointDailyCount, InvoiceLine } from '../billing/invoice-builder';
import { isUuid } from '../common/ids';
import { ContractPrices } from '../pricing/contract-prices';
import { BillingRunEntity, InvoiceEntity, InvoiceLineEntity, InvoiceStatus, StripeSyncStatus } from './invoice.entity';

export interface BillableContractRow {
  id: string;
  customerId: string;
  customerName: string;
  partnerId: string | null;
  partnerName: string | null;
  plan: PlanCode;
  serviceHours: ServiceHours | null;
  options: OptionCode[];
  prices: ContractPrices;
  serviceStartDate: string;
  endDate: string | null;
  initialFeesPeriod: string | null;
}

export interface NewInvoiceRow {
  id: string;
  number: string | null;
  numberPrefix: string | null;
  numberYear: number | null;
  numberSequence: number | null;
  period: string;
  recipientKind: 'customer' | 'partner';
  recipientId: string;
  customerId: string | null;
  partnerId: string | null;
  recipientName: string;
  customerIds: string[];
  issuerName: string;
  issuerRegistrationNumber: string;
  transactionDate: string;
  dueDate: string;
  subtotal: number;
  tax: number;
  total: number;
  taxByRate: unknown;
  taxRounding: string;
  customerSubtotals: unknown;
  status: InvoiceStatus;
  billingRunId: string;
  issuedAt: Date | null;
  stripeSyncStatus: StripeSyncStatus;
}

// An invoice line as stored: the built line, its place on the invoice, its service period in columns.
export interface NewInvoiceLineRow extends Omit<InvoiceLine, 'servicePeriod'> {
  invoiceId: string;
  position: number;
  serviceFrom: string | null;
  serviceTo: string | null;
}

export interface InvoiceFilter {
  customerId?: string;
  period?: string;
}

@Injectable()
export class InvoicesRepository {
  constructor(private readonly ds: DataSource) {}

  // ----- billing run: bulk reads and writes -----

  // Contracts in service during some day of the period: activated, started by its last day and
  // not ended before its first.
  async billableContracts(firstDay: string, closingDate: string): Promise<BillableContractRow[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT c.id, c.customer_id, cu.name AS customer_name, cu.partner_id, p.name AS partner_name, c.plan, c.service_hours, c.options, c.prices,
              c.service_start_date::text AS service_start_date, c.end_date::text AS end_date, c.initial_fees_period
       FROM contracts.contract c
       JOIN contracts.customer cu ON cu.id = c.customer_id
       LEFT JOIN contracts.partner p ON p.id = cu.partner_id
       WHERE c.service_start_date IS NOT NULL AND c.service_start_date <= $2 AND (c.end_date IS NULL OR c.end_date >= $1)
       ORDER BY c.id`,
      [firstDay, closingDate],
    );
    return rows.map((r) => ({
      id: r.id as string,
      customerId: r.customer_id as string,
      customerName: r.customer_name as string,
      partnerId: (r.partner_id as string | null) ?? null,
      partnerName: (r.partner_name as string | null) ?? null,
      plan: r.plan as PlanCode,
      serviceHours: (r.service_hours as ServiceHours | null) ?? null,
      options: r.options as OptionCode[],
      prices: r.prices as ContractPrices,
      serviceStartDate: r.service_start_date as string,
      endDate: (r.end_date as string | null) ?? null,
      initialFeesPeriod: (r.initial_fees_period as string | null) ?? null,
    }));
  }

  async endpointCounts(customerIds: readonly string[], firstDay: string, closingDate: string): Promise<Map<string, EndpointDailyCount[]>> {
    const byCustomer = new Map<string, EndpointDailyCount[]>();
    if (!customerIds.length) return byCustomer;
    const rows: { customer_id: string; day: string; count: number }[] = await this.ds.query(
      `SELECT customer_id, day::text AS day, count FROM contracts.endpoint_daily_count WHERE customer_id = ANY($1::uuid[]) AND day BETWEEN $2 AND $3`,
      [customerIds, firstDay, closingDate],
    );
    for (const r of rows) {
      const list = byCustomer.get(r.customer_id) ?? [];
      list.push({ date: r.day, count: r.count });
      byCustomer.set(r.customer_id, list);
    }
    return byCustomer;
  }

  // Live (not voided) invoices of the period, by recipient.
  async liveInvoices(em: EntityManager, period: string, recipientIds?: readonly string[]): Promise<Map<string, { id: string; status: InvoiceStatus }>> {
    const rows: { id: string; recipient_id: string; status: InvoiceStatus }[] = recipientIds
      ? await em.query(`SELECT id, recipient_id, status FROM contracts.invoice WHERE period = $1 AND status <> 'VOID' AND recipient_id = ANY($2::uuid[])`, [period, recipientIds])
      : await em.query(`SELECT id, recipient_id, status FROM contracts.invoice WHERE period = $1 AND status <> 'VOID'`, [period]);
    return new Map(rows.map((r) => [r.recipient_id, { id: r.id, status: r.status }]));
  }

  // Two runs of the same period take turns chunk by chunk; each re-reads what the other wrote.
  async lockPeriod(em: EntityManager, period: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('contracts.billing:' || $1))`, [period]);
  }

  async deleteDrafts(em: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length) await em.query(`DELETE FROM contracts.invoice WHERE id = ANY($1::uuid[]) AND status = 'DRAFT'`, [ids]);
  }

  async insertInvoices(em: EntityManager, rows: readonly NewInvoiceRow[]): Promise<void> {
    if (!rows.length) return;
    const col = <K extends keyof NewInvoiceRow>(k: K) => rows.map((r) => r[k]);
    await em.query(
      `INSERT INTO contracts.invoice (id, number, number_prefix, number_year, number_sequence, period, recipient_kind, recipient_id, customer_id, partner_id,
         recipient_name, customer_ids, issuer_name, issuer_registration_number, transaction_date, due_date, subtotal, tax, total, tax_by_rate, tax_rounding,
         customer_subtotals, status, billing_run_id, issued_at, stripe_sync_status, stripe_next_attempt_at)
       SELECT id, number, number_prefix, number_year, number_sequence, period, recipient_kind, recipient_id, customer_id, partner_id,
         recipient_name, string_to_array(customer_ids, ',')::uuid[], issuer_name, issuer_reg, transaction_date, due_date, subtotal, tax, total, tax_by_rate::jsonb, tax_rounding,
         customer_subtotals::jsonb, status, billing_run_id, issued_at, stripe_sync_status, CASE WHEN stripe_sync_status = 'PENDING' THEN now() END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::uuid[], $9::uuid[], $10::uuid[],
         $11::text[], $12::text[], $13::text[], $14::text[], $15::date[], $16::date[], $17::bigint[], $18::bigint[], $19::bigint[], $20::text[], $21::text[],
         $22::text[], $23::text[], $24::uuid[], $25::timestamptz[], $26::text[])
         AS t(id, number, number_prefix, number_year, number_sequence, period, recipient_kind, recipient_id, customer_id, partner_id,
           recipient_name, customer_ids, issuer_name, issuer_reg, transaction_date, due_date, subtotal, tax, total, tax_by_rate, tax_rounding,
           customer_subtotals, status, billing_run_id, issued_at, stripe_sync_status)`,
      [
        col('id'),
        col('number'),
        col('numberPrefix'),
        col('numberYear'),
        col('numberSequence'),
        col('period'),
        col('recipientKind'),
        col('recipientId'),
        col('customerId'),
        col('partnerId'),
        col('recipientName'),
        rows.map((r) => r.customerIds.join(',')),
        col('issuerName'),
        col('issuerRegistrationNumber'),
        col('transactionDate'),
        col('dueDate'),
        col('subtotal'),
        col('tax'),
        col('total'),
        rows.map((r) => JSON.stringify(r.taxByRate)),
        col('taxRounding'),
        rows.map((r) => JSON.stringify(r.customerSubtotals)),
        col('status'),
        col('billingRunId'),
        col('issuedAt'),
        col('stripeSyncStatus'),
      ],
    );
  }

  // A line key already live on another invoice fails the whole chunk: never billed twice.
  async insertLines(em: EntityManager, rows: readonly NewInvoiceLineRow[]): Promise<void> {
    if (!rows.length) return;
    const col = <K extends keyof NewInvoiceLineRow>(k: K) => rows.map((r) => r[k]);
    await em.query(
      `INSERT INTO contracts.invoice_line (invoice_id, position, line_key, customer_id, contract_id, code, description, description_ja, quantity, unit_price, amount,
         tax_rate, recurring, service_from, service_to, proration)
       SELECT invoice_id, position, line_key, customer_id, contract_id, code, description, description_ja, quantity, unit_price, amount,
         tax_rate, recurring, service_from, service_to, proration::jsonb
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[],
         $12::int[], $13::text[], $14::date[], $15::date[], $16::text[])
         AS t(invoice_id, position, line_key, customer_id, contract_id, code, description, description_ja, quantity, unit_price, amount,
           tax_rate, recurring, service_from, service_to, proration)`,
      [
        col('invoiceId'),
        col('position'),
        col('lineKey'),
        col('customerId'),
        col('contractId'),
        col('code'),
        col('description'),
        col('descriptionJa'),
        col('quantity'),
        col('unitPrice'),
        col('amount'),
        col('taxRate'),
        col('recurring'),
        col('serviceFrom'),
        col('serviceTo'),
        rows.map((r) => (r.proration == null ? null : JSON.stringify(r.proration))),
      ],
    );
  }

  async markInitialFeesBilled(em: EntityManager, contractIds: readonly string[], period: string): Promise<void> {
    if (contractIds.length) {
      await em.query(`UPDATE contracts.contract SET initial_fees_period = $2 WHERE id = ANY($1::uuid[]) AND initial_fees_period IS NULL`, [contractIds, period]);
    }
  }

  insertRun(values: Partial<BillingRunEntity>): Promise<BillingRunEntity> {
    const repo = this.ds.getRepository(BillingRunEntity);
    return repo.save(repo.create({ invoicesCreated: 0, invoicesExisting: 0, ...values }));
  }

  async finishRun(id: string, created: number, existing: number): Promise<BillingRunEntity> {
    await this.ds.getRepository(BillingRunEntity).update({ id }, { finishedAt: new Date(), invoicesCreated: created, invoicesExisting: existing });
    return this.ds.getRepository(BillingRunEntity).findOneByOrFail({ id });
  }

  hasFinishedRun(period: string): Promise<boolean> {
    return this.ds.getRepository(BillingRunEntity).exists({ where: { period, draft: false, finishedAt: Not(IsNull()) } });
  }

  runs(period?: string): Promise<BillingRunEntity[]> {
    return this.ds.getRepository(BillingRunEntity).find({ where: period ? { period } : {}, order: { startedAt: 'DESC' }, take: 100 });
  }

  // ----- single invoices -----

  async forUpdate(em: EntityManager, id: string): Promise<InvoiceEntity | null> {
    if (!isUuid(id)) return null;
    return em.getRepository(InvoiceEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  save(em: EntityManager, invoice: InvoiceEntity): Promise<InvoiceEntity> {
    return em.getRepository(InvoiceEntity).save(invoice);
  }

  async supersedeLines(em: EntityManager, invoiceId: string): Promise<void> {
    await em.query(`UPDATE contracts.invoice_line SET superseded = true WHERE invoice_id = $1`, [invoiceId]);
  }

  async markOverdue(today: string): Promise<number> {
    const [, count]: [unknown, number] = await this.ds.query(
      `UPDATE contracts.invoice SET status = 'OVERDUE', updated_at = now() WHERE status = 'ISSUED' AND due_date < $1`,
      [today],
    );
    return count ?? 0;
  }

  async setPdf(em: EntityManager, invoiceId: string, reportId: string): Promise<void> {
    await em.getRepository(InvoiceEntity).update({ id: invoiceId }, { pdfReportId: reportId });
  }

  async recordEndpointCount(em: EntityManager, customerId: string, day: string, count: number): Promise<void> {
    // A day recounted keeps its highest count: MDR bills the month's peak.
    await em.query(
      `INSERT INTO contracts.endpoint_daily_count (customer_id, day, count) VALUES ($1, $2, $3)
       ON CONFLICT (customer_id, day) DO UPDATE SET count = GREATEST(contracts.endpoint_daily_count.count, EXCLUDED.count), updated_at = now()`,
      [customerId, day, count],
    );
  }

  // ----- queries -----

  list(scope: TenantScope, filter: InvoiceFilter, limit?: number, after?: string): Promise<InvoiceEntity[]> {
    const qb = this.ds.getRepository(InvoiceEntity).createQueryBuilder('i').orderBy('i.period', 'DESC').addOrderBy('i.id', 'DESC');
    applyInvoiceScope(qb, scope);
    if (filter.customerId !== undefined) qb.andWhere(':fcid = ANY(i.customer_ids)', { fcid: isUuid(filter.customerId) ? filter.customerId : null });
    if (filter.period !== undefined) qb.andWhere('i.period = :period', { period: filter.period });
    if (after) {
      const c = decodeCursor(after);
      qb.andWhere('(i.period, i.id) < (:afterPeriod, :afterId)', { afterPeriod: c.sortKey, afterId: isUuid(c.id) ? c.id : '00000000-0000-0000-0000-000000000000' });
    }
    if (limit !== undefined) qb.limit(limit);
    return qb.getMany();
  }

  async visibleByIds(scope: TenantScope, ids: readonly string[]): Promise<InvoiceEntity[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const qb = this.ds.getRepository(InvoiceEntity).createQueryBuilder('i').where('i.id IN (:...ids)', { ids: valid });
    return applyInvoiceScope(qb, scope).getMany();
  }

  async linesOf(invoiceIds: readonly string[], em: EntityManager = this.ds.manager): Promise<InvoiceLineEntity[]> {
    if (!invoiceIds.length) return [];
    return em.getRepository(InvoiceLineEntity).find({ where: { invoiceId: In([...invoiceIds]) }, order: { invoiceId: 'ASC', position: 'ASC' } });
  }

  byRun(runId: string): Promise<InvoiceEntity[]> {
    return this.ds.getRepository(InvoiceEntity).find({ where: { billingRunId: runId }, order: { number: 'ASC' } });
  }

  // The live invoices of a period that `scope` may see.
  byPeriod(scope: TenantScope, period: string): Promise<InvoiceEntity[]> {
    const qb = this.ds
      .getRepository(InvoiceEntity)
      .createQueryBuilder('i')
      .where('i.period = :period', { period })
      .andWhere(`i.status <> 'VOID'`)
      .orderBy('i.number', 'ASC', 'NULLS LAST');
    return applyInvoiceScope(qb, scope).getMany();
  }
}

// A partner sees the invoices addressed to it; a customer those addressed to itself.
function applyInvoiceScope(qb: SelectQueryBuilder<InvoiceEntity>, scope: TenantScope): SelectQueryBuilder<InvoiceEntity> {
  if (scope.kind === 'customer') qb.andWhere(`i.recipient_kind = 'customer' AND i.customer_id = :scopeCustomerId`, { scopeCustomerId: scope.customerId });
  if (scope.kind === 'partner') qb.andWhere(`i.recipient_kind = 'partner' AND i.partner_id = :scopePartnerId`, { scopePartnerId: scope.partnerId });
  return qb;
}
