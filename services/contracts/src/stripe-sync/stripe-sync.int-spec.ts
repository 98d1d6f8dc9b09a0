// Invoices reach Stripe (the local Stripe-speaking server, through the real SDK) exactly once,
// whatever Stripe does; Stripe's webhooks come back signed and are applied once. This spec bills
// 2028; no other spec has contracts in service then.
import { stripeSignatureHeader } from '@kanshi/testing';
import { activeContract, ContractsKit, createCustomer, createPartner, runBilling, startContracts, STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET } from '../contracts.int-kit';
import { StripeSyncService } from './stripe-sync.service';

let kit: ContractsKit;
let direct: string;
let partner: string;

beforeAll(async () => {
  kit = await startContracts({ now: '2028-01-01T09:00:00+09:00', stripe: true });
  direct = (await createCustomer(kit, { name: '北斗銀行株式会社', billingContact: { name: '経理部', email: 'keiri@hokuto.example.jp' } })).id;
  partner = (await createPartner(kit, { name: 'みなとITサービス株式会社', billingEmail: 'billing@minato-it.example.jp' })).id;
  const partnerCustomer = (await createCustomer(kit, { name: '港南工業株式会社', partnerId: partner })).id;
  await activeContract(kit, direct, { plan: 'FE_SECURITY_MONITORING', startDate: '2028-01-01' }, '2028-01-01');
  await activeContract(kit, partnerCustomer, { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'ALWAYS', startDate: '2028-01-01' }, '2028-01-01');
});
afterAll(() => kit.close());

const fake = () => kit.stripe!;
const stripeInvoicesOf = (kanshiInvoiceId: string) => fake().invoices.filter((i) => i.metadata.kanshi_invoice_id === kanshiInvoiceId);
const invoiceRow = async (id: string) =>
  (await kit.ds.query(`SELECT status, stripe_sync_status, stripe_invoice_id, stripe_sync_attempts, stripe_last_error, paid_at, payment_failed_at FROM contracts.invoice WHERE id = $1`, [id]))[0];
async function billMonth(period: string, nextDay: string): Promise<{ id: string; number: string; total: number; tax: number; recipient: { id: string } }[]> {
  kit.clock.set(`${nextDay}T09:00:00+09:00`);
  return (await runBilling(kit, period)).invoices;
}

describe('Stripe sync', () => {
  it('sends each issued invoice as a finalized JPY send_invoice invoice, once', async () => {
    const invoices = await billMonth('2028-01', '2028-02-01');
    expect(invoices).toHaveLength(2);
    expect(await kit.sync()).toEqual({ synced: 2, retrying: 0, failed: 0 });

    for (const invoice of invoices) {
      const [stripe] = stripeInvoicesOf(invoice.id);
      expect(stripe).toMatchObject({ status: 'open', currency: 'jpy', collection_method: 'send_invoice', number: invoice.number, total: invoice.total });
      // Kanshi's tax is its own line, already rounded once for the invoice.
      expect(stripe.lines.data.at(-1)).toMatchObject({ amount: invoice.tax });
      expect(await invoiceRow(invoice.id)).toMatchObject({ stripe_sync_status: 'SYNCED', stripe_invoice_id: stripe.id });
    }
    // The partner is the Stripe customer of its invoice.
    const partnerInvoice = invoices.find((i) => i.recipient.id === partner)!;
    const customer = fake().customers.find((c) => c.id === stripeInvoicesOf(partnerInvoice.id)[0].customer);
    expect(customer).toMatchObject({ name: 'みなとITサービス株式会社', email: 'billing@minato-it.example.jp' });

    expect(await kit.sync()).toEqual({ synced: 0, retrying: 0, failed: 0 });
    expect(fake().invoices).toHaveLength(2);
  });

  it('keeps invoices pending while Stripe is down, and syncs them once when it is back', async () => {
    const invoices = await billMonth('2028-02', '2028-03-01');
    await fake().setDown(true);
    expect(await kit.sync()).toEqual({ synced: 0, retrying: 2, failed: 0 });
    for (const invoice of invoices) {
      expect(await invoiceRow(invoice.id)).toMatchObject({ stripe_sync_status: 'PENDING', stripe_invoice_id: null, stripe_sync_attempts: 1, stripe_last_error: expect.stringContaining('Stripe unavailable') });
    }
    const { invoices: listed } = await kit.ok('provider_admin', `{ invoices(period: "2028-02") { stripeSyncStatus stripeInvoiceId } }`);
    expect(listed).toEqual([
      { stripeSyncStatus: 'PENDING', stripeInvoiceId: null },
      { stripeSyncStatus: 'PENDING', stripeInvoiceId: null },
    ]);

    await fake().setDown(false);
    // The back-off of this spec is 1 ms x 2^attempts.
    await new Promise((r) => setTimeout(r, 20));
    expect(await kit.sync()).toEqual({ synced: 2, retrying: 0, failed: 0 });
    for (const invoice of invoices) {
      expect(stripeInvoicesOf(invoice.id)).toHaveLength(1);
      expect(await invoiceRow(invoice.id)).toMatchObject({ stripe_sync_status: 'SYNCED', stripe_sync_attempts: 2 });
    }
  });

  it('does not create an invoice twice when Stripe did the work but the answer was lost', async () => {
    const invoices = await billMonth('2028-03', '2028-04-01');
    // Every finalize is executed and then its connection cut, the SDK's own retry included.
    fake().failNext(4, { mode: 'lose-response', path: /\/finalize$/ });
    expect(await kit.sync()).toEqual({ synced: 0, retrying: 2, failed: 0 });
    expect(fake().requests.filter((r) => r.path.endsWith('/finalize') && r.injected === 'lose-response')).toHaveLength(4);
    await new Promise((r) => setTimeout(r, 20));
    expect(await kit.sync()).toEqual({ synced: 2, retrying: 0, failed: 0 });
    for (const invoice of invoices) {
      const found = stripeInvoicesOf(invoice.id);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ status: 'open', total: invoice.total });
      expect((await invoiceRow(invoice.id)).stripe_invoice_id).toBe(found[0].id);
    }
  });

  it('parks an invoice Stripe refuses as failed, until provider_admin retries it', async () => {
    const invoices = await billMonth('2028-04', '2028-05-01');
    fake().failNext(2, { mode: 'error', status: 400, type: 'invalid_request_error', message: 'Your account cannot currently make live charges.', path: '/v1/invoices', method: 'POST' });
    expect(await kit.sync()).toEqual({ synced: 0, retrying: 0, failed: 2 });
    const [first] = invoices;
    expect(await invoiceRow(first.id)).toMatchObject({ stripe_sync_status: 'FAILED', stripe_last_error: expect.stringContaining('cannot currently make live charges') });
    expect(await kit.sync()).toEqual({ synced: 0, retrying: 0, failed: 0 });

    const { retryStripeSync } = await kit.ok('provider_admin', `mutation($id: ID!) { retryStripeSync(id: $id) { stripeSyncStatus } }`, { id: first.id });
    expect(retryStripeSync.stripeSyncStatus).toBe('PENDING');
    expect(await kit.sync()).toEqual({ synced: 1, retrying: 0, failed: 0 });
    expect(stripeInvoicesOf(first.id)).toHaveLength(1);
  });

  it('voids in Stripe an invoice voided in Kanshi after it was sent', async () => {
    const [invoice] = await billMonth('2028-05', '2028-06-01');
    await kit.sync();
    await kit.ok('provider_admin', `mutation($id: ID!) { voidInvoice(id: $id) { status } }`, { id: invoice.id });
    expect((await invoiceRow(invoice.id)).stripe_sync_status).toBe('PENDING');
    await kit.sync();
    expect(stripeInvoicesOf(invoice.id)[0].status).toBe('void');
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'VOID', stripe_sync_status: 'SYNCED' });
  });
});

describe('Stripe webhooks', () => {
  const webhookUrl = () => `${kit.baseUrl}/webhooks/stripe`;
  let invoice: { id: string; number: string };
  let stripeInvoiceId: string;

  beforeAll(async () => {
    [invoice] = await billMonth('2028-06', '2028-07-01');
    await kit.sync();
    stripeInvoiceId = (await invoiceRow(invoice.id)).stripe_invoice_id;
  });
  const stripeEvents = async () => Number((await kit.ds.query(`SELECT count(*) AS n FROM contracts.stripe_event`))[0].n);

  it('answers 400 to a bad signature and changes nothing', async () => {
    const before = await stripeEvents();
    const sent = await fake().sendWebhook(webhookUrl(), 'invoice.paid', stripeInvoicesOf(invoice.id)[0], { secret: STRIPE_WEBHOOK_SECRET, signature: 'bad' });
    expect(sent.status).toBe(400);
    const unsigned = await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: sent.payload });
    expect(unsigned.status).toBe(400);
    // Signed over other bytes than those sent: re-serialising the JSON breaks the signature.
    const reformatted = await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': sent.signatureHeader }, body: JSON.stringify(JSON.parse(sent.payload)) });
    expect(reformatted.status).toBe(400);
    expect(await stripeEvents()).toBe(before);
    expect((await invoiceRow(invoice.id)).status).toBe('ISSUED');
  });

  it('refuses an invoice event whose Stripe id, metadata invoice id, total or currency disagree, changing nothing', async () => {
    const stripeInvoice = stripeInvoicesOf(invoice.id)[0];
    const [other] = (await kit.ok('provider_admin', `{ invoicePage(period: "2028-06") { edges { node { id } } } }`)).invoicePage.edges.map((e: { node: { id: string } }) => e.node).filter((i: { id: string }) => i.id !== invoice.id);
    const before = [await invoiceRow(invoice.id), await invoiceRow(other.id)];
    const cases: [string, object, RegExp][] = [
      ['metadata naming another invoice', { ...stripeInvoice, metadata: { ...stripeInvoice.metadata, kanshi_invoice_id: other.id } }, new RegExp(`^refused: Stripe invoice ${stripeInvoiceId} is Kanshi invoice ${invoice.id} but its metadata names ${other.id}$`)],
      ['no metadata', { ...stripeInvoice, metadata: {} }, /^refused: .* but its metadata names no invoice$/],
      ['metadata naming no invoice', { ...stripeInvoice, metadata: { kanshi_invoice_id: '00000000-0000-4000-8000-000000000000' } }, /^refused: .* but its metadata names "00000000-0000-4000-8000-000000000000"$/],
      ['another Stripe invoice naming this one', { ...stripeInvoice, id: 'in_forged' }, new RegExp(`^refused: metadata names invoice ${invoice.id}, which is Stripe invoice ${stripeInvoiceId}, not in_forged$`)],
      ['another total', { ...stripeInvoice, total: stripeInvoice.total - 1, amount_due: stripeInvoice.total - 1 }, /^refused: Stripe invoice .* is for \d+ JPY, invoice .* for \d+ JPY$/],
      ['another currency', { ...stripeInvoice, currency: 'usd' }, /^refused: Stripe invoice .* is for \d+ USD, invoice .* for \d+ JPY$/],
    ];
    for (const [what, object, outcome] of cases) {
      const sent = await fake().sendWebhook(webhookUrl(), 'invoice.paid', object as typeof stripeInvoice, { secret: STRIPE_WEBHOOK_SECRET });
      expect([what, sent.status]).toEqual([what, 200]);
      expect([what, JSON.parse(sent.responseBody).outcome]).toEqual([what, expect.stringMatching(outcome)]);
      expect((await kit.ds.query(`SELECT outcome FROM contracts.stripe_event WHERE event_id = $1`, [sent.event.id]))[0].outcome).toMatch(outcome);
    }
    expect([await invoiceRow(invoice.id), await invoiceRow(other.id)]).toEqual(before);
    expect(before[0].status).toBe('ISSUED');
  });

  it('records a failed payment once, however often Stripe delivers the event', async () => {
    kit.clock.set('2028-08-01T09:00:00+09:00');
    const sent = await fake().sendWebhook(webhookUrl(), 'invoice.payment_failed', stripeInvoicesOf(invoice.id)[0], { secret: STRIPE_WEBHOOK_SECRET });
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.responseBody)).toMatchObject({ received: true, duplicate: false });
    // Past its due date (2028-07-31), so the invoice is overdue.
    const first = await invoiceRow(invoice.id);
    expect(first).toMatchObject({ status: 'OVERDUE', payment_failed_at: new Date('2028-08-01T00:00:00.000Z') });

    kit.clock.set('2028-08-02T09:00:00+09:00');
    const again = await fetch(webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(sent.payload, STRIPE_WEBHOOK_SECRET) },
      body: sent.payload,
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect((await invoiceRow(invoice.id)).payment_failed_at).toEqual(first.payment_failed_at);
    expect(await kit.ds.query(`SELECT type, outcome FROM contracts.stripe_event WHERE event_id = $1`, [sent.event.id])).toEqual([{ type: 'invoice.payment_failed', outcome: 'payment failed recorded' }]);
  });

  it('marks the invoice paid when Stripe says so', async () => {
    await fetch(`${fake().url}/v1/invoices/${stripeInvoiceId}/pay`, { method: 'POST', headers: { authorization: `Bearer ${STRIPE_API_KEY}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'paid_out_of_band=true' });
    const paid = stripeInvoicesOf(invoice.id)[0];
    const sent = await fake().sendWebhook(webhookUrl(), 'invoice.paid', paid, { secret: STRIPE_WEBHOOK_SECRET });
    expect(sent.status).toBe(200);
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'PAID', paid_at: new Date(paid.status_transitions.paid_at! * 1000) });
    const { invoice: read } = await kit.ok('provider_admin', `query($id: ID!) { invoice(id: $id) { status paidAt } }`, { id: invoice.id });
    expect(read.status).toBe('PAID');
  });

  it('voids the invoice when it is voided in Stripe, so its charges can be billed again', async () => {
    const [other] = (await kit.ok('provider_admin', `{ invoices(period: "2028-06") { id status } }`)).invoices.filter((i: { id: string }) => i.id !== invoice.id);
    await kit.sync();
    const stripeId = (await invoiceRow(other.id)).stripe_invoice_id;
    await fetch(`${fake().url}/v1/invoices/${stripeId}/void`, { method: 'POST', headers: { authorization: `Bearer ${STRIPE_API_KEY}` } });
    const sent = await fake().sendWebhook(webhookUrl(), 'invoice.voided', stripeInvoicesOf(other.id)[0], { secret: STRIPE_WEBHOOK_SECRET });
    expect(sent.status).toBe(200);
    expect(await invoiceRow(other.id)).toMatchObject({ status: 'VOID', stripe_sync_status: 'SYNCED' });
    expect((await kit.ds.query(`SELECT bool_and(superseded) AS all FROM contracts.invoice_line WHERE invoice_id = $1`, [other.id]))[0].all).toBe(true);
  });

  it('takes a billing e-mail changed in Stripe', async () => {
    const stripeCustomer = fake().customers.find((c) => c.metadata.kanshi_customer_id === direct)!;
    const sent = await fake().sendWebhook(webhookUrl(), 'customer.updated', { ...stripeCustomer, email: 'ap@hokuto.example.jp' }, { secret: STRIPE_WEBHOOK_SECRET });
    expect(sent.status).toBe(200);
    const { customer } = await kit.ok('sales', `query($id: ID!) { customer(id: $id) { billingContact { name email } } }`, { id: direct });
    expect(customer.billingContact).toEqual({ name: '経理部', email: 'ap@hokuto.example.jp' });
  });
});

describe('overdue invoices', () => {
  it('turns issued invoices overdue after their due date', async () => {
    const [invoice] = await billMonth('2028-09', '2028-10-01');
    kit.clock.set('2028-10-31T23:00:00+09:00');
    await kit.app.get(StripeSyncService).tick();
    expect((await invoiceRow(invoice.id)).status).toBe('ISSUED');
    kit.clock.set('2028-11-01T00:00:00+09:00');
    await kit.app.get(StripeSyncService).tick();
    expect((await invoiceRow(invoice.id)).status).toBe('OVERDUE');
  });
});
