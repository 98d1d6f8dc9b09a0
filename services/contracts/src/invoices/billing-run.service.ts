import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { authorize, Principal } from '@kanshi/auth';
import { InvoiceIssued, InvoiceIssuedV2 } from '@kanshi/events';
import { invoiceIssuedV2 } from '../billing/issued-document-events';
import { Outbox } from '@kanshi/messaging';
import { createLogger } from '@kanshi/observability';
import { Clock } from '@kanshi/calendar';
import { parseBillingPeriod } from '../billing/billing-period';
import { buildInvoice, CustomerToBill, InvoiceDraft } from '../billing/invoice-builder';
import { formatInvoiceNumber } from '../billing/invoice-number';
import { DocumentNumbersRepository } from '../common/document-numbers.repository';
import { ContractsConfig } from '../config';
import { CONTRACTS_CONFIG } from '../contracts-core.module';
import { ContractsError } from '../contracts.errors';
import { ContractsPermissions } from '../contracts.permissions';

import { BillingRunEntity } from './invoice.entity';
import { BillableContractRow, InvoicesRepository, NewInvoiceLineRow, NewInvoiceRow } from './invoices.repository';

interface Recipient {
  kind: 'customer' | 'partner';
  id: string;
  name: string;
  customers: Map<string, CustomerToBill & { contracts: CustomerToBill['contracts'][number][] }>;
}

// The monthly billing run (rules in docs/billing.md). Idempotent per period: a recipient with a
// live issued invoice for the period is left alone, drafts are rebuilt, and the database refuses
// a second live invoice per recipient and period or a second live line with the same key.
@Injectable()
export class BillingRunService {
  private readonly log = createLogger('BillingRunService');

  constructor(
    private readonly ds: DataSource,
    private readonly repo: InvoicesRepository,
    private readonly numbers: DocumentNumbersRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(CONTRACTS_CONFIG) private readonly config: ContractsConfig,
  ) {}

  async run(principal: Principal, period: string, opts: { draft?: boolean } = {}): Promise<BillingRunEntity> {
    authorize(principal, ContractsPermissions.runBilling);
    return this.runPeriod(period, { draft: opts.draft ?? false, startedBy: principal.subject });
  }

  // Whether the period has a finished, non-draft run.
  billed(period: string): Promise<boolean> {
    return this.repo.hasFinishedRun(period);
  }

  async runPeriod(period: string, opts: { draft: boolean; startedBy: string }): Promise<BillingRunEntity> {
    const p = parseBillingPeriod(period, { dueInDays: this.config.invoiceDueInDays });
    // Invoices close at month end: a month is billed once it is over.
    if (p.end.getTime() > this.clock.now().getTime()) throw new ContractsError('BAD_INPUT', `${p.period} closes on ${p.closingDate}; it can be billed from the next day`, 'period');
    const started = Date.now();
    const run = await this.repo.insertRun({ period: p.period, draft: opts.draft, startedBy: opts.startedBy });
    const recipients = await this.recipients(p.period, p.firstDay, p.closingDate);
    const existing = await this.repo.liveInvoices(this.ds.manager, p.period);
    const todo = recipients.filter((r) => existing.get(r.id)?.status === undefined || existing.get(r.id)?.status === 'DRAFT');

    let created = 0;
    for (let i = 0; i < todo.length; i += this.config.BILLING_CHUNK_SIZE) {
      created += await this.writeChunk(todo.slice(i, i + this.config.BILLING_CHUNK_SIZE), p.period, p.year, run.id, opts.draft);
    }
    const live = await this.repo.liveInvoices(this.ds.manager, p.period);
    const finished = await this.repo.finishRun(run.id, created, live.size - created);
    this.log.info({ period: p.period, draft: opts.draft, created, existing: live.size - created, ms: Date.now() - started }, 'billing run finished');
    return finished;
  }

  // Recipients of the period: a partner for all its customers' contracts, a direct customer for
  // its own; in a stable order (name, then id) so numbering is reproducible.
  private async recipients(period: string, firstDay: string, closingDate: string): Promise<Recipient[]> {
    const contracts = await this.repo.billableContracts(firstDay, closingDate);
    const perEndpoint = [...new Set(contracts.filter((c) => (c.prices.perEndpointMonthlyFee ?? 0) > 0).map((c) => c.customerId))];
    const counts = await this.repo.endpointCounts(perEndpoint, firstDay, closingDate);
    const byId = new Map<string, Recipient>();
    for (const c of contracts) {
      const id = c.partnerId ?? c.customerId;
      let recipient = byId.get(id);
      if (!recipient) {
        recipient = c.partnerId ? { kind: 'partner', id, name: c.partnerName ?? '', customers: new Map() } : { kind: 'customer', id, name: c.customerName, customers: new Map() };
        byId.set(id, recipient);
      }
      let customer = recipient.customers.get(c.customerId);
      if (!customer) {
        customer = { customerId: c.customerId, name: c.customerName, partnerId: c.partnerId, contracts: [] };
        recipient.customers.set(c.customerId, customer);
      }
      customer.contracts.push(toBill(c, period, counts.get(c.customerId) ?? []));
    }
    return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  // One transaction: re-check under the period lock, build, number, store, announce.
  private writeChunk(chunk: Recipient[], period: string, year: number, runId: string, draft: boolean): Promise<number> {
    return this.ds.transaction(async (em) => {
      await this.repo.lockPeriod(em, period);
      const live = await this.repo.liveInvoices(em, period, chunk.map((r) => r.id));
      const work = chunk.filter((r) => !live.has(r.id) || live.get(r.id)!.status === 'DRAFT');
      await this.repo.deleteDrafts(
        em,
        work.map((r) => live.get(r.id)?.id).filter((id): id is string => id !== undefined),
      );
      const built = work
        .map((r) => ({ recipient: r, invoice: this.build(r, period) }))
        .filter((b) => b.invoice.lines.length > 0);
      if (!built.length) return 0;

      const prefix = this.config.INVOICE_NUMBER_PREFIX;
      const first = draft ? null : await this.numbers.allocate(em, prefix, year, built.length);
      const issuedAt = draft ? null : this.clock.now();
      const rows: NewInvoiceRow[] = [];
      const lines: NewInvoiceLineRow[] = [];
      const initialFees: string[] = [];
      built.forEach(({ recipient, invoice }, i) => {
        const id = randomUUID();
        const sequence = first === null ? null : first + i;
        rows.push({
          id,
          number: sequence === null ? null : formatInvoiceNumber(year, sequence, prefix),
          numberPrefix: sequence === null ? null : prefix,
          numberYear: sequence === null ? null : year,
          numberSequence: sequence,
          period,
          recipientKind: recipient.kind,
          recipientId: recipient.id,
          customerId: recipient.kind === 'customer' ? recipient.id : null,
          partnerId: recipient.kind === 'partner' ? recipient.id : null,
          recipientName: recipient.name,
          customerIds: invoice.customers.map((c) => c.customerId),
          issuerName: invoice.issuer.name,
          issuerRegistrationNumber: invoice.issuer.registrationNumber,
          transactionDate: invoice.closingDate,
          dueDate: invoice.dueDate,
          subtotal: invoice.subtotal,
          tax: invoice.tax,
          total: invoice.total,
          taxByRate: invoice.taxByRate,
          taxRounding: invoice.taxRounding,
          customerSubtotals: invoice.customers,
          status: draft ? 'DRAFT' : 'ISSUED',
          billingRunId: runId,
          issuedAt,
          stripeSyncStatus: draft ? 'NONE' : 'PENDING',
        });
        invoice.lines.forEach(({ servicePeriod, ...line }, position) =>
          lines.push({ ...line, invoiceId: id, position: position + 1, serviceFrom: servicePeriod?.from ?? null, serviceTo: servicePeriod?.to ?? null }),
        );
        initialFees.push(...invoice.initialFeesInvoicedFor);
      });
      await this.repo.insertInvoices(em, rows);
      await this.repo.insertLines(em, lines);
      await this.repo.markInitialFeesBilled(em, initialFees, period);
      if (!draft) {
        await this.outbox.addMany(
          em,
          InvoiceIssued,
          rows.map((r) => ({
            body: { invoiceId: r.id, number: r.number!, period, partnerId: r.partnerId, customerId: r.customerId, total: r.total },
            customerId: r.customerId,
          })),
        );
        const linesOf = new Map<string, NewInvoiceLineRow[]>();
        for (const l of lines) {
          const list = linesOf.get(l.invoiceId);
          if (list) list.push(l);
          else linesOf.set(l.invoiceId, [l]);
        }
        await this.outbox.addMany(
          em,
          InvoiceIssuedV2,
          rows.map((r) => ({ body: invoiceIssuedV2(r, linesOf.get(r.id) ?? []), customerId: r.customerId })),
        );
      }
      return rows.length;
    });
  }

  private build(recipient: Recipient, period: string): InvoiceDraft {
    return buildInvoice({
      period,
      issuer: { name: this.config.INVOICE_ISSUER_NAME, registrationNumber: this.config.INVOICE_ISSUER_REGISTRATION_NUMBER },
      recipient: recipient.kind === 'partner' ? { kind: 'partner', partnerId: recipient.id, name: recipient.name } : { kind: 'customer', customerId: recipient.id, name: recipient.name },
      customers: [...recipient.customers.values()],
      taxRounding: this.config.TAX_ROUNDING,
      dueInDays: this.config.invoiceDueInDays,
    });
  }
}

function toBill(c: BillableContractRow, period: string, endpointCounts: { date: string; count: number }[]): CustomerToBill['contracts'][number] {
  return {
    contractId: c.id,
    plan: c.plan,
    serviceHours: c.serviceHours,
    options: c.options,
    prices: c.prices,
    startDate: c.serviceStartDate,
    endDate: c.endDate,
    // Initial fees go on the first period billed; rebuilding that same period shows them again.
    initialFeeInvoiced: c.initialFeesPeriod !== null && c.initialFeesPeriod !== period,
    endpointCounts,
  };
}
