// The chaos run's billing part (issue 16): which months it bills, which faults the full profile
// adds for vendors that hang and for billing, and that the billing checks count what Stripe holds
// twice or lacks, not only what Kanshi's database says.
import { Client } from 'pg';
import { FakeStripeServer } from '@kanshi/testing';
import { CHAOS_STRIPE_API_KEY, checkBilling, startChaosStripe, tokyoMonth } from './chaos-billing';
import { faultPlan } from './run';

describe('tokyoMonth', () => {
  it('counts months back in Asia/Tokyo time, across a year', () => {
    // 2027-01-01 08:00 in Tokyo is still 2026-12-31 in UTC
    const now = new Date('2026-12-31T23:00:00Z');
    expect([tokyoMonth(0, now), tokyoMonth(1, now), tokyoMonth(3, now)]).toEqual(['2027-01', '2026-12', '2026-10']);
  });
});

describe('fault plans', () => {
  it('the full profile has vendors that hang (mail relay, EDR console, Stripe), Stripe answering 5xx and a kill during a billing run', () => {
    const full = faultPlan('full').map((f) => `${f.kind} ${f.target}`);
    for (const f of ['vendor hang mail relay', 'vendor hang EDR console', 'vendor hang Stripe', 'vendor 5xx Stripe', 'kill -9 contracts during a billing run']) expect(full).toContain(f);
    expect(full.length).toBeGreaterThanOrEqual(29);
  });

  it('the short profile (the one npm test runs) stays as it was', () => {
    expect(faultPlan('short').map((f) => `${f.kind} ${f.target}`)).toEqual([
      'kill -9 ingestion',
      'restart nats',
      'kill -9 analysis',
      'restart postgres',
      'SIGSTOP incident',
      'vendor 5xx mail relay',
    ]);
  });
});

describe('checkBilling', () => {
  let stripe: FakeStripeServer;
  beforeEach(async () => {
    stripe = await startChaosStripe();
  });
  afterEach(() => stripe.stop());

  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${stripe.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${CHAOS_STRIPE_API_KEY}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    const body = (await res.json()) as { id: string };
    if (!res.ok) throw new Error(JSON.stringify(body));
    return body;
  };

  // Kanshi's side: contract c1 on invoice i1 (one line), c2 on i2 (one line), both synced.
  const db = (rows: { perContract: [string, string, number][]; twice: number }) =>
    ({
      query: async (sql: string) => {
        if (sql.includes('count(DISTINCT i.id)')) return { rows: rows.perContract.map(([contract_id, period, n]) => ({ contract_id, period, n: String(n) })) };
        if (sql.includes('HAVING') || sql.includes('WHERE c > 1')) return { rows: [{ n: String(rows.twice ? 1 : 0), extra: String(rows.twice) }] };
        if (sql.includes('SELECT count(*) AS n FROM contracts.invoice_line')) return { rows: [{ n: '2' }] };
        return {
          rows: [
            { id: 'i1', sync: 'SYNCED', error: null, keys: ['i1-l1'] },
            { id: 'i2', sync: 'SYNCED', error: null, keys: ['i2-l1'] },
          ],
        };
      },
    }) as unknown as Client;

  const stripeInvoice = async (kanshiId: string) => {
    const customer = await post('/v1/customers', { name: 'x' });
    await post('/v1/invoiceitems', { customer: customer.id, amount: '1000', currency: 'jpy', 'metadata[kanshi_invoice_id]': kanshiId, 'metadata[kanshi_line_key]': `${kanshiId}-l1` });
    await post('/v1/invoices', { customer: customer.id, collection_method: 'send_invoice', days_until_due: '30', 'metadata[kanshi_invoice_id]': kanshiId });
  };
  const ledger = { contracts: new Set(['c1', 'c2']), periods: ['2026-11'] };

  it('holds when every contract has one invoice, no line twice, and Stripe has each invoice and line once', async () => {
    await stripeInvoice('i1');
    await stripeInvoice('i2');
    const checks = await checkBilling(db({ perContract: [['c1', '2026-11', 1], ['c2', '2026-11', 1]], twice: 0 }), ledger, stripe);
    expect(checks.map((c) => [c.name, c.lost, c.duplicated, c.ok])).toEqual([
      ['contracts -> one invoice per billed period', 0, 0, true],
      ['invoice lines -> none twice (live, per period and line key)', 0, 0, true],
      ['issued invoices -> one Stripe invoice each', 0, 0, true],
      ['invoice lines (and tax) -> one Stripe invoice item each', 0, 0, true],
    ]);
  });

  it('counts an invoice and an item Stripe holds twice, a contract billed twice or not at all, and a line key twice', async () => {
    await stripeInvoice('i1');
    await stripeInvoice('i1');
    const checks = await checkBilling(db({ perContract: [['c1', '2026-11', 2]], twice: 3 }), ledger, stripe);
    expect(checks.map((c) => [c.name, c.lost, c.duplicated, c.ok])).toEqual([
      ['contracts -> one invoice per billed period', 1, 1, false],
      ['invoice lines -> none twice (live, per period and line key)', 0, 3, false],
      // i2 is marked synced but Stripe has neither its invoice nor its line
      ['issued invoices -> one Stripe invoice each', 1, 1, false],
      ['invoice lines (and tax) -> one Stripe invoice item each', 1, 1, false],
    ]);
  });
});
