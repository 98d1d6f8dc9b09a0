// Monthly billing against the real database: proration, tax per invoice, MDR from counted
// endpoints, partner prices on one partner invoice, idempotent runs, gap-free numbers, drafts,
// voids and termination. This spec bills 2025; no other spec has contracts in service then.
import { randomUUID } from 'node:crypto';
import { EndpointsCounted, InvoiceIssued } from '@kanshi/events';
import { eventually } from '@kanshi/testing';
import { activeContract, ContractsKit, createCustomer, createPartner, INVOICE_FIELDS, outboxEvents, runBilling, startContracts } from '../contracts.int-kit';

let kit: ContractsKit;

beforeAll(async () => {
  kit = await startContracts({ now: '2025-01-01T09:00:00+09:00', messaging: true });
});
afterAll(() => kit.close());

type Invoice = {
  id: string;
  number: string | null;
  recipient: { kind: string; id: string };
  lines: { lineKey: string; customerId: string; code: string; quantity: number; unitPrice: number; amount: number; proration: unknown }[];
  [k: string]: unknown;
};
const rows = (invoice: Invoice) => invoice.lines.map((l) => [l.code, l.quantity, l.unitPrice, l.amount]);
const invoiceFor = (invoices: Invoice[], recipientId: string) => invoices.find((i) => i.recipient.id === recipientId)!;

// Contracts (and the partner) made on 2025-01-01 and used by the tests below, in order.
let feAlert: { customerId: string; contractId: string };
let mdr: { customerId: string; contractId: string };
let partnerId: string;
let partnerCustomers: string[];
let terminated: { customerId: string; contractId: string };

beforeAll(async () => {
  // FE alert analysis 24/365 with liveness, signed to start on the 16th (activated on the 10th).
  const a = await createCustomer(kit, { name: 'あおば商事株式会社' });
  feAlert = { customerId: a.id, contractId: (await activeContract(kit, a.id, { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'ALWAYS', options: ['LIVENESS_MONITORING'], startDate: '2025-01-16' }, '2025-01-10')).id };

  const m = await createCustomer(kit, { name: 'みどり物流株式会社' });
  mdr = { customerId: m.id, contractId: (await activeContract(kit, m.id, { plan: 'MDR', endpointCount: 50, startDate: '2025-01-01' }, '2025-01-01')).id };

  // A reseller with 10% off the catalogue and two customers.
  partnerId = (await createPartner(kit, { name: 'さくらネットワークス株式会社', discountBps: 1000 })).id;
  const p1 = await createCustomer(kit, { name: '東都製作所株式会社', partnerId });
  const p2 = await createCustomer(kit, { name: '西都精機株式会社', partnerId });
  partnerCustomers = [p1.id, p2.id];
  await activeContract(kit, p1.id, { plan: 'FE_SECURITY_MONITORING', startDate: '2025-01-01' }, '2025-01-01');
  await activeContract(kit, p2.id, { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'BUSINESS_HOURS', startDate: '2025-01-01' }, '2025-01-01');

  const t = await createCustomer(kit, { name: 'はるか電機株式会社' });
  terminated = { customerId: t.id, contractId: (await activeContract(kit, t.id, { plan: 'FE_SECURITY_MONITORING', startDate: '2025-01-01' }, '2025-01-01')).id };

  // endpoint-response counts managed endpoints every day.
  const counts: [string, number][] = [
    ['2024-12-31', 99], // before the service started
    ['2025-01-05', 40],
    ['2025-01-20', 55],
    ['2025-01-20', 52], // a recount of the same day: the day keeps its highest count
    ['2025-01-25T20:00:00.000Z', 60], // an instant: 2025-01-26 05:00 in Tokyo
    ['2025-02-01', 90], // next month
  ];
  for (const [date, count] of counts) await kit.publish(EndpointsCounted, { date, count }, m.id);
  await eventually(async () => expect((await kit.ds.query(`SELECT count(*)::int AS n FROM contracts.endpoint_daily_count WHERE customer_id = $1`, [m.id]))[0].n).toBe(5));
});

describe('runBilling for January 2025', () => {
  let january: Invoice[];

  it('refuses a month that has not closed, and callers other than provider_admin', async () => {
    kit.clock.set('2025-01-31T23:59:00+09:00');
    const open = await kit.gql('provider_admin', `mutation { runBilling(period: "2025-01") { id } }`);
    expect(open.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
    const malformed = await kit.gql('provider_admin', `mutation { runBilling(period: "2025-1") { id } }`);
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
    kit.clock.set('2025-02-01T09:00:00+09:00');
    const sales = await kit.gql('sales', `mutation { runBilling(period: "2025-01") { id } }`);
    expect(sales.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await kit.ds.query(`SELECT id FROM contracts.invoice WHERE period = '2025-01'`)).toEqual([]);
  });

  it('bills one invoice per direct customer and one for the partner', async () => {
    kit.clock.set('2025-02-01T09:00:00+09:00');
    const run = await runBilling(kit, '2025-01');
    january = run.invoices;
    expect(run).toMatchObject({ period: '2025-01', draft: false, invoicesCreated: 4, invoicesExisting: 0 });
    expect(january.map((i) => i.recipient.id).sort()).toEqual([feAlert.customerId, mdr.customerId, partnerId, terminated.customerId].sort());
  });

  it('charges initial fees once and the first month pro rata from the start day, with tax rounded once per invoice', () => {
    const invoice = invoiceFor(january, feAlert.customerId);
    expect(rows(invoice)).toEqual([
      ['FE_ALERT_ANALYSIS:INITIAL', 1, 150_000, 150_000],
      ['LIVENESS_MONITORING:INITIAL', 1, 100_000, 100_000],
      // 16 of 31 days (16th-31st): floor(150,000 x 16 / 31) and floor(100,000 x 16 / 31).
      ['FE_ALERT_ANALYSIS:MONTHLY', 1, 77_419, 77_419],
      ['LIVENESS_MONITORING:MONTHLY', 1, 51_612, 51_612],
    ]);
    expect(invoice.lines[2]).toMatchObject({ servicePeriod: { from: '2025-01-16', to: '2025-01-31' }, proration: { billableDays: 16, daysInPeriod: 31, fullAmount: 150_000 } });
    // 379,031 x 10% = 37,903.1 -> 37,903 (line by line it would be 37,902).
    expect(invoice).toMatchObject({
      subtotal: 379_031,
      tax: 37_903,
      total: 416_934,
      taxRate: 10,
      taxByRate: [{ rate: 10, taxable: 379_031, tax: 37_903 }],
      transactionDate: '2025-01-31',
      dueDate: '2025-02-28',
      status: 'ISSUED',
      issuer: { name: 'Kanshi SOC K.K.', registrationNumber: 'T7123456789012' },
      recipient: { kind: 'customer', id: feAlert.customerId, name: 'あおば商事株式会社' },
      customerId: feAlert.customerId,
      partnerId: null,
      stripeSyncStatus: 'PENDING',
    });
  });

  it('bills MDR on the highest daily endpoint count of the month', () => {
    expect(rows(invoiceFor(january, mdr.customerId))).toEqual([['MDR:ENDPOINT_MONTHLY', 60, 1_500, 90_000]]);
  });

  it('puts both partner customers on one partner invoice at the partner price', () => {
    const invoice = invoiceFor(january, partnerId);
    expect(invoice).toMatchObject({ recipient: { kind: 'partner', id: partnerId, name: 'さくらネットワークス株式会社' }, customerId: null, partnerId });
    const [toto, saito] = partnerCustomers;
    expect(invoice.lines.map((l) => [l.customerId, l.code, l.amount])).toEqual([
      [toto, 'FE_SECURITY_MONITORING:INITIAL', 432_000],
      [toto, 'FE_SECURITY_MONITORING:MONTHLY', 432_000],
      [saito, 'FE_ALERT_ANALYSIS:INITIAL', 135_000],
      [saito, 'FE_ALERT_ANALYSIS:MONTHLY', 135_000],
    ]);
    expect(invoice).toMatchObject({
      subtotal: 1_134_000,
      tax: 113_400,
      customerSubtotals: [
        { customerId: toto, name: '東都製作所株式会社', subtotal: 864_000 },
        { customerId: saito, name: '西都精機株式会社', subtotal: 270_000 },
      ],
    });
    expect(january.filter((i) => partnerCustomers.includes(i.recipient.id))).toEqual([]);
  });

  it('announces every issued invoice for reporting', async () => {
    const events = (await outboxEvents(kit, InvoiceIssued.subject)).filter((e) => e.body.period === '2025-01');
    expect(events.map((e) => e.body).sort((a, b) => a.number.localeCompare(b.number))).toEqual(
      [...january].sort((a, b) => a.number!.localeCompare(b.number!)).map((i) => ({ invoiceId: i.id, number: i.number, period: '2025-01', partnerId: i.partnerId, customerId: i.customerId, total: i.total })),
    );
  });

  it('publishes every issued invoice whole as invoice.issued.v2: a qualified invoice reporting can print', async () => {
    const events = (await outboxEvents(kit, 'contracts.invoice.issued.v2')).filter((e) => e.body.period === '2025-01');
    expect(events).toHaveLength(january.length);
    for (const i of january) {
      const e = events.find((x) => x.body.invoiceId === i.id)!;
      const names = new Map((i.customerSubtotals as { customerId: string; name: string }[]).map((c) => [c.customerId, c.name]));
      type Line = { customerId: string; description: string; descriptionJa: string; quantity: number; unitPrice: number; amount: number; taxRate: number; servicePeriod: { from: string; to: string } | null };
      expect(e.body).toMatchObject({
        number: i.number,
        period: '2025-01',
        partnerId: i.partnerId,
        customerId: i.customerId,
        language: 'ja',
        transactionDate: i.transactionDate,
        dueDate: i.dueDate,
        issuer: i.issuer,
        recipient: i.recipient,
        subtotal: i.subtotal,
        taxByRate: i.taxByRate,
        tax: i.tax,
        total: i.total,
      });
      expect(e.body.issuer.registrationNumber).toMatch(/^T\d{13}$/);
      expect(e.body.lines).toEqual(
        (i.lines as unknown as Line[]).map((l) =>
          expect.objectContaining({
            description: l.description,
            descriptionJa: l.descriptionJa,
            quantity: l.quantity,
            unitPrice: l.unitPrice,
            amount: l.amount,
            taxRate: l.taxRate,
            serviceFrom: l.servicePeriod?.from ?? null,
            serviceTo: l.servicePeriod?.to ?? null,
            customerName: i.recipient.kind === 'partner' ? names.get(l.customerId) : null,
          }),
        ),
      );
    }
  });

  it('is idempotent: a second run finds the same invoices, numbers and lines', async () => {
    const linesBefore = (await kit.ds.query(`SELECT count(*)::int AS n FROM contracts.invoice_line`))[0].n;
    const again = await runBilling(kit, '2025-01');
    expect(again).toMatchObject({ invoicesCreated: 0, invoicesExisting: 4 });
    expect(again.invoices).toEqual(january);
    expect((await kit.ds.query(`SELECT count(*)::int AS n FROM contracts.invoice_line`))[0].n).toBe(linesBefore);
    expect((await outboxEvents(kit, InvoiceIssued.subject)).filter((e) => e.body.period === '2025-01')).toHaveLength(4);
  });
});

describe('the following months', () => {
  it('bills February in full without initial fees, first as drafts without numbers, then issued', async () => {
    kit.clock.set('2025-03-05T10:00:00+09:00');
    // Terminated in March: billed to the 20th.
    await kit.ok('sales', `mutation($id: ID!) { terminateContract(id: $id, endDate: "2025-03-20") { status } }`, { id: terminated.contractId });

    const draft = await runBilling(kit, '2025-02', true);
    expect(draft).toMatchObject({ draft: true, invoicesCreated: 4 });
    expect(draft.invoices.map((i: Invoice) => [i.status, i.number, i.stripeSyncStatus])).toEqual(Array(4).fill(['DRAFT', null, 'NONE']));
    expect(rows(invoiceFor(draft.invoices, feAlert.customerId))).toEqual([
      ['FE_ALERT_ANALYSIS:MONTHLY', 1, 150_000, 150_000],
      ['LIVENESS_MONITORING:MONTHLY', 1, 100_000, 100_000],
    ]);
    // Only the days of February count: the 90 endpoints of 1 February.
    expect(rows(invoiceFor(draft.invoices, mdr.customerId))).toEqual([['MDR:ENDPOINT_MONTHLY', 90, 1_500, 135_000]]);
    expect(await outboxEvents(kit, InvoiceIssued.subject).then((e) => e.filter((x) => x.body.period === '2025-02'))).toEqual([]);

    // Drafts are rebuilt, not duplicated.
    const redraft = await runBilling(kit, '2025-02', true);
    expect(redraft.invoices.map((i: Invoice) => rows(i))).toEqual(draft.invoices.map((i: Invoice) => rows(i)));
    expect((await kit.ds.query(`SELECT count(*)::int AS n FROM contracts.invoice WHERE period = '2025-02'`))[0].n).toBe(4);

    const issued = await runBilling(kit, '2025-02');
    expect(issued.invoices.map((i: Invoice) => i.status)).toEqual(Array(4).fill('ISSUED'));
    expect(issued.invoices.map((i: Invoice) => i.number).sort()).toEqual(['INV-2025-000005', 'INV-2025-000006', 'INV-2025-000007', 'INV-2025-000008']);
  });

  it('prorates the last month of a terminated contract to its end day', async () => {
    kit.clock.set('2025-04-01T09:00:00+09:00');
    const march = await runBilling(kit, '2025-03');
    // 1st-20th of 31 days: floor(480,000 x 20 / 31).
    expect(rows(invoiceFor(march.invoices, terminated.customerId))).toEqual([['FE_SECURITY_MONITORING:MONTHLY', 1, 309_677, 309_677]]);
    // No endpoints counted in March: no MDR charge, so no invoice for that customer.
    expect(march.invoices.map((i: Invoice) => i.recipient.id)).not.toContain(mdr.customerId);
  });

  it('bills a voided invoice’s charges again on a new number; the voided one keeps its own', async () => {
    kit.clock.set('2025-04-02T09:00:00+09:00');
    const march = (await kit.ok('provider_admin', `{ invoices(period: "2025-03") { ${INVOICE_FIELDS} } }`)).invoices as Invoice[];
    const target = invoiceFor(march, feAlert.customerId);
    const { voidInvoice } = await kit.ok('provider_admin', `mutation($id: ID!) { voidInvoice(id: $id) { status number stripeSyncStatus } }`, { id: target.id });
    // Never reached Stripe, so there is nothing to void there.
    expect(voidInvoice).toEqual({ status: 'VOID', number: target.number, stripeSyncStatus: 'NONE' });
    const unknown = await kit.gql('provider_admin', `mutation($id: ID!) { voidInvoice(id: $id) { status } }`, { id: randomUUID() });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const rerun = await runBilling(kit, '2025-03');
    expect(rerun.invoicesCreated).toBe(1);
    const replacement = invoiceFor(rerun.invoices, feAlert.customerId);
    expect(replacement.id).not.toBe(target.id);
    expect(rows(replacement)).toEqual(rows(target));
    expect(replacement.number).not.toBe(target.number);
  });

  it('numbers invoices without gaps or duplicates, even when two runs race', async () => {
    kit.clock.set('2025-06-01T09:00:00+09:00');
    const [a, b] = await Promise.all([runBilling(kit, '2025-05'), runBilling(kit, '2025-05')]);
    expect(a.invoicesCreated + b.invoicesCreated).toBe(a.invoices.length);
    const numbers: { number_sequence: number }[] = await kit.ds.query(`SELECT number_sequence FROM contracts.invoice WHERE number_year = 2025 ORDER BY number_sequence`);
    expect(numbers.map((n) => n.number_sequence)).toEqual(numbers.map((_, i) => i + 1));
    const liveKeys: { line_key: string; n: number }[] = await kit.ds.query(`SELECT line_key, count(*)::int AS n FROM contracts.invoice_line WHERE NOT superseded GROUP BY line_key HAVING count(*) > 1`);
    expect(liveKeys).toEqual([]);
  });
});
