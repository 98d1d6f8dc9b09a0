import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { InvoiceIssued, InvoiceIssuedV2 } from '@kanshi/events';
import { invoiceIssuedV2 } from '../billing/issued-document-events';
import { Outbox } from '@kanshi/messaging';
import { ConnectionShape, pageOf } from '@kanshi/platform';
import { Clock } from '@kanshi/calendar';
import { formatInvoiceNumber } from '../billing/invoice-number';
import { DocumentNumbersRepository } from '../common/document-numbers.repository';
import { ContractsConfig } from '../config';
import { CONTRACTS_CONFIG } from '../contracts-core.module';
import { ContractsError } from '../contracts.errors';
import { ContractsPermissions } from '../contracts.permissions';
import { BillingRunEntity, InvoiceEntity, InvoiceLineEntity } from './invoice.entity';
import { InvoiceFilter, InvoicesRepository } from './invoices.repository';

// Query.invoices answers at most this many (the page-less list is kept for existing clients;
// invoicePage reads any number a page at a time).
export const INVOICE_LIST_LIMIT = 500;

@Injectable()
export class InvoicesService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: InvoicesRepository,
    private readonly numbers: DocumentNumbersRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    @Inject(CONTRACTS_CONFIG) private readonly config: ContractsConfig,
  ) {}

  async list(principal: Principal, filter: InvoiceFilter): Promise<InvoiceEntity[]> {
    authorize(principal, ContractsPermissions.readInvoices);
    const rows = await this.repo.list(scopeOf(principal), filter, INVOICE_LIST_LIMIT + 1);
    if (rows.length > INVOICE_LIST_LIMIT) {
      const narrowBy = [filter.customerId === undefined && 'customerId', filter.period === undefined && 'period'].filter(Boolean).join(' or ');
      throw new ContractsError('TOO_MANY_INVOICES', `more than ${INVOICE_LIST_LIMIT} invoices match: ${narrowBy ? `narrow the list by ${narrowBy}, or ` : ''}read them a page at a time with invoicePage`);
    }
    return rows;
  }

  async page(principal: Principal, filter: InvoiceFilter, first: number, after?: string): Promise<ConnectionShape<InvoiceEntity>> {
    authorize(principal, ContractsPermissions.readInvoices);
    if (!Number.isInteger(first) || first < 1 || first > 200) throw new ContractsError('BAD_INPUT', 'first must be between 1 and 200', 'first');
    const rows = await this.repo.list(scopeOf(principal), filter, first + 1, after);
    return pageOf(rows, first, (i) => ({ sortKey: i.period, id: i.id }));
  }

  async visibleByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, InvoiceEntity>> {
    authorize(principal, ContractsPermissions.readInvoices);
    return new Map((await this.repo.visibleByIds(scopeOf(principal), ids)).map((i) => [i.id, i]));
  }

  // Lines of invoices already checked visible by the caller.
  async linesOf(invoiceIds: readonly string[]): Promise<Map<string, InvoiceLineEntity[]>> {
    const all = await this.repo.linesOf(invoiceIds);
    return new Map(invoiceIds.map((id) => [id, all.filter((l) => l.invoiceId === id)]));
  }

  runs(principal: Principal, period?: string): Promise<BillingRunEntity[]> {
    authorize(principal, ContractsPermissions.readBillingRuns);
    return this.repo.runs(period);
  }

  // BillingRun.invoices: each invoice checked as `invoices` checks it (role, then tenant scope).
  async invoicesOfPeriod(principal: Principal, period: string): Promise<InvoiceEntity[]> {
    authorize(principal, ContractsPermissions.readInvoices);
    return this.repo.byPeriod(scopeOf(principal), period);
  }

  // Issues a draft left by a draft run: its number is taken from the same gap-free counter.
  async issue(principal: Principal, id: string): Promise<InvoiceEntity> {
    authorize(principal, ContractsPermissions.changeInvoices);
    return this.ds.transaction(async (em) => {
      const invoice = await this.lockedOrThrow(em, id);
      if (invoice.status !== 'DRAFT') throw new ContractsError('BAD_INPUT', `invoice ${invoice.number} is already ${invoice.status.toLowerCase()}`, 'id');
      const year = Number(invoice.period.slice(0, 4));
      const prefix = this.config.INVOICE_NUMBER_PREFIX;
      const sequence = await this.numbers.allocate(em, prefix, year);
      await em.query(
        `UPDATE contracts.invoice SET number = $2, number_prefix = $3, number_year = $4, number_sequence = $5, status = 'ISSUED', issued_at = $6,
           stripe_sync_status = 'PENDING', stripe_next_attempt_at = now(), updated_at = now() WHERE id = $1`,
        [invoice.id, formatInvoiceNumber(year, sequence, prefix), prefix, year, sequence, this.clock.now()],
      );
      const issued = (await this.lockedOrThrow(em, id)) as InvoiceEntity;
      await this.outbox.add(
        em,
        InvoiceIssued,
        { invoiceId: issued.id, number: issued.number!, period: issued.period, partnerId: issued.partnerId, customerId: issued.customerId, total: issued.total },
        { customerId: issued.customerId },
      );
      await this.outbox.add(em, InvoiceIssuedV2, invoiceIssuedV2(issued, await this.repo.linesOf([issued.id], em)), { customerId: issued.customerId });
      return issued;
    });
  }

  // A voided invoice keeps its number (numbers are never reused); its charges become billable
  // again, so the next run of the period bills them on a new invoice.
  async void(principal: Principal, id: string): Promise<InvoiceEntity> {
    authorize(principal, ContractsPermissions.changeInvoices);
    return this.ds.transaction(async (em) => {
      const invoice = await this.lockedOrThrow(em, id);
      if (invoice.status === 'VOID') return invoice;
      if (invoice.status === 'PAID') throw new ContractsError('BAD_INPUT', `invoice ${invoice.number} is paid; issue a credit note instead`, 'id');
      if (invoice.status === 'DRAFT') throw new ContractsError('BAD_INPUT', 'a draft has no number to void; the next billing run rebuilds it', 'id');
      await this.voidWithin(em, invoice, this.clock.now(), 'local');
      return (await this.lockedOrThrow(em, id)) as InvoiceEntity;
    });
  }

  // `origin`: local (Stripe must be told, if it knows the invoice) or stripe (it was voided there).
  async voidWithin(em: EntityManager, invoice: InvoiceEntity, at: Date, origin: 'local' | 'stripe'): Promise<void> {
    invoice.status = 'VOID';
    invoice.voidedAt = at;
    if (origin === 'stripe') invoice.stripeSyncStatus = 'SYNCED';
    else if (invoice.stripeInvoiceId || invoice.stripeSyncAttempts > 0) {
      // Stripe has (or may have, after an attempt whose answer was lost) this invoice.
      invoice.stripeSyncStatus = 'PENDING';
      invoice.stripeNextAttemptAt = new Date();
    } else invoice.stripeSyncStatus = 'NONE';
    await this.repo.save(em, invoice);
    await this.repo.supersedeLines(em, invoice.id);
  }

  async retrySync(principal: Principal, id: string): Promise<InvoiceEntity> {
    authorize(principal, ContractsPermissions.changeInvoices);
    return this.ds.transaction(async (em) => {
      const invoice = await this.lockedOrThrow(em, id);
      if (invoice.stripeSyncStatus !== 'FAILED') throw new ContractsError('BAD_INPUT', `Stripe sync of ${invoice.number} is ${invoice.stripeSyncStatus.toLowerCase()}, not failed`, 'id');
      invoice.stripeSyncStatus = 'PENDING';
      invoice.stripeSyncAttempts = 0;
      invoice.stripeNextAttemptAt = new Date();
      invoice.stripeLastError = null;
      return this.repo.save(em, invoice);
    });
  }

  markOverdue(): Promise<number> {
    return this.repo.markOverdue(this.clock.today());
  }

  setPdf(em: EntityManager, invoiceId: string, reportId: string): Promise<void> {
    return this.repo.setPdf(em, invoiceId, reportId);
  }

  private async lockedOrThrow(em: EntityManager, id: string): Promise<InvoiceEntity> {
    const invoice = await this.repo.forUpdate(em, id);
    if (!invoice) throw new ContractsError('NOT_FOUND', `invoice ${id} not found`);
    return invoice;
  }
}
