// `npm run bench -- billing`: one monthly billing run over 10,000 customers with mixed plans, in
// a throwaway database, timed without Stripe sync (which runs later, in the background).
// Baseline from the same run: a plain bulk INSERT of as many invoice and line rows as the run
// wrote, with the same indexes, and no billing logic at all.
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createServiceDataSource, dropDatabase, ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { Outbox } from '@kanshi/messaging';
import { ManualClock } from '@kanshi/calendar';
import { ENTITIES } from '../services/contracts/src/app.module';
import { DocumentNumbersRepository } from '../services/contracts/src/common/document-numbers.repository';
import { loadConfig } from '../services/contracts/src/config';
import { BillingRunService } from '../services/contracts/src/invoices/billing-run.service';
import { InvoicesRepository } from '../services/contracts/src/invoices/invoices.repository';
import { SEED_CATALOGUE } from '../services/contracts/src/pricing/catalogue';
import { ContractPrices, PartnerPricing } from '../services/contracts/src/pricing/contract-prices';
import { computeQuote, QuoteInput } from '../services/contracts/src/pricing/quote-calculator';
import { ensureInfra } from '../scripts/infra';
import { appendBenchmark, table } from './report';

const CUSTOMERS = 10_000;
const PARTNERS = 10;
const CUSTOMERS_PER_PARTNER = 200;
const PERIOD = '2026-10';
const PERIOD_DAYS = 31;

interface Variant {
  name: string;
  input: Omit<QuoteInput, 'termMonths'>;
}

// The mix of plans, by customer index modulo 10.
const VARIANTS: Variant[] = [
  { name: 'FE alert analysis, business hours', input: { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'BUSINESS_HOURS' } },
  { name: 'FE alert analysis 24/365 + liveness', input: { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'ALWAYS', options: ['LIVENESS_MONITORING'] } },
  { name: 'FE alert analysis 24/365', input: { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'ALWAYS' } },
  { name: 'FE security monitoring', input: { plan: 'FE_SECURITY_MONITORING', options: ['LIVENESS_MONITORING'] } },
  { name: 'FE security monitoring', input: { plan: 'FE_SECURITY_MONITORING' } },
  { name: 'MDR', input: { plan: 'MDR', endpointCount: 50 } },
  { name: 'MDR', input: { plan: 'MDR', endpointCount: 300 } },
  { name: 'MDR, 5% discount', input: { plan: 'MDR', endpointCount: 1000, discount: { percent: 5 } } },
  {
    name: 'integrated management (quoted lines)',
    input: {
      plan: 'INTEGRATED_MANAGEMENT',
      customLines: [
        { description: 'SIEM operation', descriptionJa: 'SIEM運用', quantity: 1, unitPrice: 800_000, recurring: 'monthly' },
        { description: 'SIEM set-up', descriptionJa: 'SIEM導入', quantity: 1, unitPrice: 1_200_000, recurring: 'initial' },
      ],
    },
  },
  { name: 'FE alert analysis, 10% discount', input: { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'ALWAYS', discount: { percent: 10 } } },
];

function rssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function insertChunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

async function seed(ds: DataSource): Promise<{ mdrCustomers: number }> {
  const partnerIds = Array.from({ length: PARTNERS }, () => randomUUID());
  await ds.query(
    `INSERT INTO contracts.partner (id, name, discount_bps, billing_email) SELECT id, 'パートナー' || n, 1000, 'billing' || n || '@partner.example.jp' FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [partnerIds],
  );
  const partnerPricing: PartnerPricing = { kind: 'discount', basisPoints: 1000 };
  const prices = new Map<string, ContractPrices>();
  const pricesOf = (variant: number, partner: boolean): ContractPrices => {
    const key = `${variant}:${partner}`;
    if (!prices.has(key)) prices.set(key, computeQuote({ ...VARIANTS[variant].input, termMonths: 12 }, SEED_CATALOGUE, partner ? partnerPricing : null).contractPrices);
    return prices.get(key)!;
  };

  const customers: { id: string; partnerId: string | null; name: string }[] = [];
  const contracts: Record<string, unknown>[] = [];
  const counts: { customerId: string; day: string; count: number }[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const partnerId = i < PARTNERS * CUSTOMERS_PER_PARTNER ? partnerIds[i % PARTNERS] : null;
    const customerId = randomUUID();
    customers.push({ id: customerId, partnerId, name: `顧客${String(i).padStart(5, '0')}株式会社` });
    const variant = i % VARIANTS.length;
    const input = VARIANTS[variant].input;
    // 70% in service all month (initial fees billed in an earlier month), 20% starting this month
    // (initial fees and a prorated first month), 10% ending this month (prorated last month).
    // (Decided by the tens digit, so every plan of the mix appears in every kind.)
    const tens = Math.floor(i / 10) % 10;
    const kind = tens < 7 ? 'running' : tens < 9 ? 'starting' : 'ending';
    const start = kind === 'starting' ? `2026-10-${String(2 + (i % 27)).padStart(2, '0')}` : '2026-04-01';
    contracts.push({
      id: randomUUID(),
      quoteId: randomUUID(),
      customerId,
      plan: input.plan,
      serviceHours: input.serviceHours ?? (input.plan === 'INTEGRATED_MANAGEMENT' || input.plan === 'FE_SECURITY_MONITORING' || input.plan === 'MDR' ? 'ALWAYS' : null),
      options: input.options ?? [],
      endpointCount: input.endpointCount ?? null,
      prices: pricesOf(variant, partnerId !== null),
      start,
      end: kind === 'ending' ? `2026-10-${String(5 + (i % 25)).padStart(2, '0')}` : null,
      initialFeesPeriod: kind === 'starting' ? null : '2026-04',
    });
    if (input.plan === 'MDR') {
      for (let d = 1; d <= PERIOD_DAYS; d++) counts.push({ customerId, day: `2026-10-${String(d).padStart(2, '0')}`, count: (input.endpointCount ?? 0) - ((i + d) % 7) });
    }
  }

  await insertChunked(customers, 5000, (chunk) =>
    ds.query(
      `INSERT INTO contracts.customer (id, partner_id, name, billing_contact) SELECT id, partner_id, name, jsonb_build_object('name', '経理部', 'email', 'billing@example.jp')
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(id, partner_id, name)`,
      [chunk.map((c) => c.id), chunk.map((c) => c.partnerId), chunk.map((c) => c.name)],
    ),
  );
  await insertChunked(contracts, 2500, async (chunk) => {
    const col = (k: string) => chunk.map((c) => c[k]);
    await ds.query(
      `INSERT INTO contracts.quote (id, number, customer_id, plan, plan_version, service_hours, options, endpoint_count, term_months, start_date, quote_date, valid_until,
         lines, subtotal, tax, total, tax_by_rate, one_time_total, monthly_total, contract_prices, status, created_by)
       SELECT id, 'QB-' || id, customer_id, plan, 1, service_hours, string_to_array(options, ',')::text[], endpoint_count, 12, start_date::date, '2026-03-01', '2026-03-31',
         '[]', 0, 0, 0, '[]', 0, 0, prices::jsonb, 'ACCEPTED', 'bench'
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[]) AS t(id, customer_id, plan, service_hours, options, endpoint_count, start_date, prices)`,
      [col('quoteId'), col('customerId'), col('plan'), col('serviceHours'), chunk.map((c) => (c.options as string[]).join(',')), col('endpointCount'), col('start'), chunk.map((c) => JSON.stringify(c.prices))],
    );
    await ds.query(
      `INSERT INTO contracts.contract (id, customer_id, quote_id, plan, plan_version, service_hours, options, endpoint_count, prices, term_months, start_date, end_date, status,
         activated_at, service_start_date, initial_fees_period, created_by)
       SELECT id, customer_id, quote_id, plan, 1, service_hours, string_to_array(options, ',')::text[], endpoint_count, prices::jsonb, 12, start_date::date, end_date::date,
         CASE WHEN end_date IS NULL THEN 'ACTIVE' ELSE 'TERMINATED' END, '2026-03-15T00:00:00Z', start_date::date, initial_fees_period, 'bench'
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS t(id, customer_id, quote_id, plan, service_hours, options, endpoint_count, prices, start_date, end_date, initial_fees_period)`,
      [
        col('id'),
        col('customerId'),
        col('quoteId'),
        col('plan'),
        col('serviceHours'),
        chunk.map((c) => (c.options as string[]).join(',')),
        col('endpointCount'),
        chunk.map((c) => JSON.stringify(c.prices)),
        col('start'),
        col('end'),
        col('initialFeesPeriod'),
      ],
    );
  });
  await insertChunked(counts, 20_000, (chunk) =>
    ds.query(`INSERT INTO contracts.endpoint_daily_count (customer_id, day, count) SELECT * FROM unnest($1::uuid[], $2::date[], $3::int[])`, [
      chunk.map((c) => c.customerId),
      chunk.map((c) => c.day),
      chunk.map((c) => c.count),
    ]),
  );
  await ds.query('ANALYZE');
  return { mdrCustomers: new Set(counts.map((c) => c.customerId)).size };
}

// The same number of invoice and line rows, written by plain INSERT ... SELECT into copies of the
// tables with the same indexes: the cost of storing the rows, without building them.
async function baseline(ds: DataSource, invoices: number, lines: number): Promise<number> {
  await ds.query(`CREATE TABLE contracts.baseline_invoice (LIKE contracts.invoice INCLUDING ALL)`);
  await ds.query(`CREATE TABLE contracts.baseline_line (LIKE contracts.invoice_line INCLUDING ALL)`);
  const t0 = performance.now();
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO contracts.baseline_invoice (id, number, number_prefix, number_year, number_sequence, period, recipient_kind, recipient_id, customer_id, recipient_name,
         customer_ids, issuer_name, issuer_registration_number, transaction_date, due_date, subtotal, tax, total, tax_by_rate, tax_rounding, customer_subtotals, status,
         issued_at, stripe_sync_status, stripe_next_attempt_at)
       SELECT gen_random_uuid(), 'BASE-2026-' || lpad(n::text, 6, '0'), 'BASE', 2026, n, $1, 'customer', gen_random_uuid(), gen_random_uuid(), '顧客' || n, ARRAY[gen_random_uuid()],
         'Kanshi SOC K.K.', 'T7123456789012', '2026-10-31', '2026-11-30', 480000, 48000, 528000, '[{"rate":10,"tax":48000,"taxable":480000}]', 'floor', '[]', 'ISSUED', now(), 'PENDING', now()
       FROM generate_series(1, $2) AS n`,
      [PERIOD, invoices],
    );
    await em.query(
      `INSERT INTO contracts.baseline_line (invoice_id, position, line_key, customer_id, code, description, description_ja, quantity, unit_price, amount, tax_rate, recurring)
       SELECT gen_random_uuid(), 1, 'base:' || n, gen_random_uuid(), 'FE_SECURITY_MONITORING:MONTHLY', 'FE Security Monitoring (MSS) - monthly fee (2026-10)',
         'FEセキュリティ監視（MSS）（24時間365日） 月額費用（2026年10月分）', 1, 480000, 480000, 10, 'monthly'
       FROM generate_series(1, $1) AS n`,
      [lines],
    );
  });
  return performance.now() - t0;
}

export async function run(): Promise<void> {
  const wall = performance.now();
  const infra = await ensureInfra();
  const url = withDatabase(infra.databaseUrl, `kanshi_bench_billing_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(url);
  const config = loadConfig({ DATABASE_URL: url, JWT_SECRET: 'bench-secret-bench-secret-bench-secret', NODE_ENV: 'test', LOG_LEVEL: 'warn' });
  const ds = createServiceDataSource({ schema: 'contracts', url, entities: ENTITIES, poolSize: 4 });
  try {
    await migrateSchema(url, 'contracts');
    await ds.initialize();
    const seedStart = performance.now();
    const { mdrCustomers } = await seed(ds);
    const seedMs = performance.now() - seedStart;

    const clock = new ManualClock(new Date('2026-11-01T09:00:00+09:00'));
    const service = new BillingRunService(ds, new InvoicesRepository(ds), new DocumentNumbersRepository(), new Outbox('contracts'), clock, config);
    const rssBefore = rssMiB();
    const t0 = performance.now();
    const result = await service.runPeriod(PERIOD, { draft: false, startedBy: 'bench' });
    const runMs = performance.now() - t0;
    const peakRss = rssMiB();

    const t1 = performance.now();
    const rerun = await service.runPeriod(PERIOD, { draft: false, startedBy: 'bench' });
    const rerunMs = performance.now() - t1;

    const [{ invoices, lines, gaps, partner_invoices }] = await ds.query(
      `SELECT (SELECT count(*)::int FROM contracts.invoice) AS invoices, (SELECT count(*)::int FROM contracts.invoice_line) AS lines,
         (SELECT count(*)::int - (max(number_sequence) - min(number_sequence) + 1) FROM contracts.invoice) AS gaps,
         (SELECT count(*)::int FROM contracts.invoice WHERE recipient_kind = 'partner') AS partner_invoices`,
    );
    if (invoices !== result.invoicesCreated || rerun.invoicesCreated !== 0 || gaps !== 0) {
      throw new Error(`billing run inconsistent: ${invoices} invoices, ${result.invoicesCreated} created, rerun created ${rerun.invoicesCreated}, gaps ${gaps}`);
    }
    const baselineMs = await baseline(ds, invoices, lines);
    const wallS = (performance.now() - wall) / 1000;

    const perSecond = invoices / (runMs / 1000);
    const summary = [
      ['customers (contracts)', CUSTOMERS.toLocaleString('en')],
      ['  of which partner customers / partners', `${(PARTNERS * CUSTOMERS_PER_PARTNER).toLocaleString('en')} / ${PARTNERS}`],
      ['  MDR customers (31 daily counts each)', mdrCustomers.toLocaleString('en')],
      ['invoices written (partner invoices)', `${invoices.toLocaleString('en')} (${partner_invoices})`],
      ['invoice lines written', lines.toLocaleString('en')],
      ['billing run', `${(runMs / 1000).toFixed(2)} s`],
      ['invoices per second', perSecond.toFixed(0)],
      ['idempotent re-run (nothing written)', `${(rerunMs / 1000).toFixed(2)} s`],
      ['baseline: plain bulk INSERT of the same rows', `${(baselineMs / 1000).toFixed(2)} s`],
      ['run / baseline', `${(runMs / baselineMs).toFixed(1)}x`],
      ['peak RSS (before run → after)', `${rssBefore.toFixed(0)} → ${peakRss.toFixed(0)} MiB`],
      ['seeding (not timed in the run)', `${(seedMs / 1000).toFixed(2)} s`],
      ['whole benchmark, migrations and seeding included', `${wallS.toFixed(1)} s (target 30 s)`],
    ];
    for (const [k, v] of summary) console.log(`${k.padEnd(50)} ${v}`);
    appendBenchmark('billing', [
      `Run ${new Date().toISOString().slice(0, 10)} on this machine (${require('node:os').cpus().length} cores): \`npm run bench -- billing\` seeds ${CUSTOMERS.toLocaleString('en')} customers with mixed plans (FE alert analysis, FE security monitoring, MDR with daily endpoint counts, integrated management with quoted lines; 70% running all month, 20% starting, 10% ending) into a throwaway database and bills ${PERIOD} once, Stripe sync excluded (it runs afterwards in the background). Baseline: a plain bulk INSERT of as many invoice and line rows into tables with the same indexes.`,
      '',
      table(['measure', 'value'], summary),
    ]);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await dropDatabase(url).catch(() => undefined);
    await infra.stop();
  }
}
