import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { FakeStripeServer } from '@kanshi/testing';
import { gql } from '../seed';
import { Check } from './chaos-invariants';

// Billing in the chaos run (issue 16): the run's own Stripe (the project's fake, recording every
// invoice and invoice item with Kanshi's keys in their metadata), contracts in service for closed
// months, and the checks that no billing run, killed or not, bills anything twice, here or there.

// the key of Kanshi's consumption-tax item (services/contracts/src/adapters/stripe.adapter.ts)
const TAX_LINE_KEY = 'consumption-tax';

export const CHAOS_STRIPE_API_KEY = 'sk_test_kanshi_chaos';
export const CHAOS_STRIPE_WEBHOOK_SECRET = 'whsec_kanshi_chaos';

export async function startChaosStripe(): Promise<FakeStripeServer> {
  const stripe = new FakeStripeServer({ apiKey: CHAOS_STRIPE_API_KEY });
  await stripe.start();
  return stripe;
}

// contracts' environment for the run: Stripe at the fake, short timers so a retry horizon fits
// the run, and small billing chunks so that a kill lands between two committed chunks.
export function chaosStripeEnv(stripe: FakeStripeServer): Record<string, string> {
  return {
    STRIPE_API_KEY: CHAOS_STRIPE_API_KEY,
    STRIPE_WEBHOOK_SECRET: CHAOS_STRIPE_WEBHOOK_SECRET,
    STRIPE_API_BASE: stripe.url,
    STRIPE_SYNC_INTERVAL_MS: '1000',
    STRIPE_RETRY_BASE_MS: '500',
    STRIPE_RETRY_MAX_MS: '5000',
    STRIPE_TIMEOUT_MS: '3000',
    BILLING_CHUNK_SIZE: '2',
  };
}

// `YYYY-MM` of the month `back` months before the current one, in Asia/Tokyo.
export function tokyoMonth(back: number, now = new Date()): string {
  const t = new Date(now.getTime() + 9 * 3600_000);
  const d = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

// The sender-side ledger: the contracts the harness put in service and the periods it billed.
export interface BillingLedger {
  contracts: Set<string>;
  periods: string[];
}

// `count` direct customers, each with a contract signed, onboarded and activated through the
// gateway as provider staff would; a quote cannot start in the past, so the harness then moves
// the service start to the first of the month `monthsBack` months ago (what a contract running
// since then looks like) with SQL, as it writes the sensor's first event (ingestion's part) and,
// for MDR contracts, a managed-endpoint count on the 15th of each month (endpoint-response's
// `endpoints.counted` events; a month without a count has no MDR line, docs/billing.md).
export async function billableContracts(
  gatewayUrl: string,
  admin: string,
  withDb: <T>(fn: (db: Client) => Promise<T>) => Promise<T>,
  opts: { count: number; monthsBack: number; concurrency?: number },
): Promise<BillingLedger> {
  const contracts = new Set<string>();
  const mdr: { customerId: string; endpoints: number }[] = [];
  const tomorrow = new Date(Date.now() + 9 * 3600_000 + 86400_000).toISOString().slice(0, 10);
  const one = async (n: number) => {
    const { createCustomer } = await gql<{ createCustomer: { id: string } }>(gatewayUrl, admin, 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', {
      i: { name: `カオス請求テスト${n}株式会社`, partnerId: null },
    });
    const customerId = createCustomer.id;
    if (n % 3 === 0) mdr.push({ customerId, endpoints: 10 + n });
    const { createQuote } = await gql<{ createQuote: { id: string } }>(gatewayUrl, admin, 'mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }', {
      i: { customerId, plan: n % 3 === 0 ? 'MDR' : 'FE_SECURITY_MONITORING', endpointCount: n % 3 === 0 ? 10 + n : undefined, startDate: tomorrow, termMonths: 12 },
    });
    await gql(gatewayUrl, admin, 'mutation($id: ID!) { sendQuote(id: $id) { id } }', { id: createQuote.id });
    const { acceptQuote } = await gql<{ acceptQuote: { id: string } }>(gatewayUrl, admin, 'mutation($id: ID!, $s: ContractSetupInput) { acceptQuote(id: $id, termsVersion: "1.1", setup: $s) { id } }', {
      id: createQuote.id,
      s: { escalationContacts: [{ name: `情報システム部 ${n}`, phone: '03-1234-5678', email: `it${n}@chaos-billing.example.jp`, language: 'JA' }] },
    });
    await withDb((db) =>
      db.query(`INSERT INTO contracts.customer_sensor (sensor_id, customer_id, product, name, registered_at, first_event_at) VALUES ($1, $2, 'FIREEYE_NX', 'NX', now(), now())`, [randomUUID(), customerId]),
    );
    await gql(gatewayUrl, admin, 'mutation($id: ID!) { confirmEscalationContacts(id: $id) { id } }', { id: acceptQuote.id });
    await gql(gatewayUrl, admin, 'mutation($id: ID!) { activateContract(id: $id) { id status } }', { id: acceptQuote.id });
    contracts.add(acceptQuote.id);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency ?? 3 }, async () => {
      while (next < opts.count) await one(next++);
    }),
  );
  const since = `${tokyoMonth(opts.monthsBack)}-01`;
  await withDb(async (db) => {
    await db.query(`UPDATE contracts.contract SET start_date = $2, service_start_date = $2 WHERE id = ANY($1::uuid[])`, [[...contracts], since]);
    for (let back = opts.monthsBack; back >= 1; back--)
      for (const m of mdr) await db.query(`INSERT INTO contracts.endpoint_daily_count (customer_id, day, count) VALUES ($1, $2, $3)`, [m.customerId, `${tokyoMonth(back)}-15`, m.endpoints]);
  });
  return { contracts, periods: [] };
}

export const RUN_BILLING = 'mutation($p: String!) { runBilling(period: $p) { id invoicesCreated invoicesExisting } }';

export async function runBilling(gatewayUrl: string, admin: string, period: string): Promise<{ invoicesCreated: number; invoicesExisting: number }> {
  const { runBilling } = await gql<{ runBilling: { invoicesCreated: number; invoicesExisting: number } }>(gatewayUrl, admin, RUN_BILLING, { p: period });
  return runBilling;
}

// Issued invoices of the ledger's periods that Stripe does not have yet (for the drain wait).
export async function pendingStripeSync(db: Client, periods: string[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM contracts.invoice WHERE period = ANY($1) AND status <> 'DRAFT' AND stripe_sync_status <> 'SYNCED'`, [periods]);
  return Number(rows[0].n);
}

export async function checkBilling(db: Client, ledger: BillingLedger, stripe: FakeStripeServer): Promise<Check[]> {
  const checks: Check[] = [];
  // every contract of the ledger: exactly one live invoice per billed period carrying its lines
  const { rows } = await db.query<{ contract_id: string; period: string; n: string }>(
    `SELECT l.contract_id, i.period, count(DISTINCT i.id) AS n
       FROM contracts.invoice_line l JOIN contracts.invoice i ON i.id = l.invoice_id
      WHERE NOT l.superseded AND i.status NOT IN ('VOID', 'DRAFT') AND i.period = ANY($1) AND l.contract_id = ANY($2::uuid[])
      GROUP BY 1, 2`,
    [ledger.periods, [...ledger.contracts]],
  );
  const seen = new Map(rows.map((r) => [`${r.contract_id}/${r.period}`, Number(r.n)]));
  let lost = 0;
  let duplicated = 0;
  for (const c of ledger.contracts)
    for (const p of ledger.periods) {
      const n = seen.get(`${c}/${p}`) ?? 0;
      if (n === 0) lost++;
      else duplicated += n - 1;
    }
  checks.push({
    name: 'contracts -> one invoice per billed period',
    expected: `${ledger.contracts.size * ledger.periods.length} (${ledger.contracts.size} contracts x ${ledger.periods.join(', ')})`,
    seen: `${seen.size}`,
    lost,
    duplicated,
    ok: lost === 0 && duplicated === 0 && ledger.contracts.size > 0,
  });
  const twice = await db.query<{ n: string; extra: string }>(
    `SELECT count(*) AS n, coalesce(sum(c - 1), 0) AS extra FROM (
       SELECT i.period, l.line_key, count(*) AS c FROM contracts.invoice_line l JOIN contracts.invoice i ON i.id = l.invoice_id
        WHERE NOT l.superseded AND i.status <> 'VOID' GROUP BY 1, 2) x WHERE c > 1`,
  );
  const lines = await db.query<{ n: string }>(`SELECT count(*) AS n FROM contracts.invoice_line l JOIN contracts.invoice i ON i.id = l.invoice_id WHERE NOT l.superseded AND i.status <> 'VOID' AND i.period = ANY($1)`, [ledger.periods]);
  checks.push({
    name: 'invoice lines -> none twice (live, per period and line key)',
    expected: '0 line keys twice',
    seen: `${twice.rows[0].n} of ${lines.rows[0].n} lines`,
    lost: 0,
    duplicated: Number(twice.rows[0].extra),
    ok: Number(twice.rows[0].extra) === 0,
  });

  // Stripe's record against Kanshi's invoices: one Stripe invoice per Kanshi invoice, one item per line
  // each invoice's live line keys, and Kanshi's consumption tax as one more item when there is tax
  const issued = await db.query<{ id: string; sync: string; error: string | null; keys: string[] }>(
    `SELECT i.id, i.stripe_sync_status AS sync, left(i.stripe_last_error, 80) AS error,
            ARRAY(SELECT l.line_key FROM contracts.invoice_line l WHERE l.invoice_id = i.id AND NOT l.superseded)
              || CASE WHEN i.tax > 0 THEN ARRAY['${TAX_LINE_KEY}'] ELSE ARRAY[]::text[] END AS keys
       FROM contracts.invoice i WHERE i.period = ANY($1) AND i.status NOT IN ('DRAFT', 'VOID')`,
    [ledger.periods],
  );
  const byKanshi = new Map<string, number>();
  for (const inv of stripe.invoices) {
    const k = inv.metadata?.kanshi_invoice_id;
    if (k) byKanshi.set(k, (byKanshi.get(k) ?? 0) + 1);
  }
  let stripeDup = 0;
  for (const n of byKanshi.values()) stripeDup += n - 1;
  const pending = issued.rows.filter((r) => r.sync !== 'SYNCED');
  const missing = issued.rows.filter((r) => r.sync === 'SYNCED' && !byKanshi.has(r.id)).length;
  const reasons = [...new Set(pending.map((r) => `${r.sync}: ${r.error ?? 'not tried yet'}`))].slice(0, 3);
  checks.push({
    name: 'issued invoices -> one Stripe invoice each',
    expected: `${issued.rows.length} issued invoices synced`,
    seen: `${byKanshi.size} at Stripe, ${pending.length} not synced`,
    lost: missing + pending.length,
    duplicated: stripeDup,
    note: pending.length ? `pending: ${reasons.join('; ')}` : undefined,
    ok: missing === 0 && pending.length === 0 && stripeDup === 0,
  });
  const items = new Map<string, number>();
  for (const it of stripe.invoiceItems) {
    const key = `${it.metadata?.kanshi_invoice_id}/${it.metadata?.kanshi_line_key}`;
    items.set(key, (items.get(key) ?? 0) + 1);
  }
  let itemDup = 0;
  for (const n of items.values()) itemDup += n - 1;
  const owedItems = issued.rows.filter((r) => r.sync === 'SYNCED').flatMap((r) => r.keys.map((k) => `${r.id}/${k}`));
  const missingItems = owedItems.filter((k) => !items.has(k)).length;
  const failedRequests = stripe.requests.filter((r) => r.injected).length;
  checks.push({
    name: 'invoice lines (and tax) -> one Stripe invoice item each',
    expected: `${owedItems.length} items of synced invoices`,
    seen: `${items.size} item keys at Stripe`,
    lost: missingItems,
    duplicated: itemDup,
    note: `${stripe.requests.length} requests to Stripe, ${failedRequests} failed or hung on purpose`,
    ok: itemDup === 0 && missingItems === 0,
  });
  return checks;
}
