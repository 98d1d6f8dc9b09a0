// The real `stripe` SDK against the fake Stripe server, over real HTTP on 127.0.0.1.
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import Stripe from 'stripe';
// TODO: import from '@kanshi/testing' once libs/testing/src/index.ts exports the fake.
import { badStripeSignatureHeader, FakeStripeServer, stripeSignatureHeader } from '../../../../libs/testing/src/fake-stripe.server';
import {
  StripeAdapter,
  StripeAdapterOptions,
  StripeInvoiceMismatchError,
  StripeRejectedError,
  StripeSignatureError,
  StripeUnavailableError,
  SyncStripeInvoiceInput,
  TAX_LINE_KEY,
} from './stripe.adapter';

const API_KEY = 'sk_test_kanshi_contracts';
const WEBHOOK_SECRET = 'whsec_kanshi_test';

describe('StripeAdapter against the fake Stripe server', () => {
  let fake: FakeStripeServer;

  beforeAll(async () => {
    fake = new FakeStripeServer({ apiKey: API_KEY });
    await fake.start();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.stop());

  // SDK retries are off unless a test is about them, so one request means one attempt.
  function setup(overrides: Partial<StripeAdapterOptions> = {}): { sut: StripeAdapter } {
    const sut = new StripeAdapter({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, ...fake.clientConfig(), maxNetworkRetries: 0, timeoutMs: 2_000, ...overrides });
    return { sut };
  }

  async function customerId(sut: StripeAdapter, kanshiCustomerId = 'cust-1'): Promise<string> {
    return sut.upsertCustomer({ kanshiCustomerId, name: '株式会社アクメ', email: 'billing@acme.example.jp' });
  }

  const DUE = new Date('2031-01-31T15:00:00Z'); // 2031-02-01 00:00 JST

  function invoiceInput(stripeCustomerId: string, overrides: Partial<SyncStripeInvoiceInput> = {}): SyncStripeInvoiceInput {
    return {
      kanshiInvoiceId: 'inv-2031-01-0001',
      invoiceNumber: 'KS-2031-0001',
      stripeCustomerId,
      lines: [
        { lineKey: 'soc-monitoring', description: 'SOC 監視サービス (2031年1月)', amount: 300_000 },
        { lineKey: 'edr-seats', description: 'EDR 運用 50 台', amount: 125_000 },
        { lineKey: 'annual-discount', description: '年間契約割引', amount: -25_000 },
      ],
      tax: 40_000,
      dueDate: DUE,
      ...overrides,
    };
  }

  const requestsTo = (pattern: RegExp): string[] => fake.requests.filter((r) => pattern.test(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`);

  describe('upsertCustomer', () => {
    it('creates the customer once, then updates it in place', async () => {
      const { sut } = setup();
      const input = {
        kanshiCustomerId: 'cust-1',
        name: '株式会社アクメ',
        email: 'billing@acme.example.jp',
        address: { line1: '千代田1-1', city: '千代田区', state: '東京都', postalCode: '100-0001', country: 'JP' },
        metadata: { contract: 'C-9' },
      };

      const id = await sut.upsertCustomer(input);
      expect(id).toMatch(/^cus_/);
      const again = await sut.upsertCustomer({ ...input, stripeCustomerId: id, name: '株式会社アクメ・ホールディングス', email: 'ap@acme.example.jp' });

      expect(again).toBe(id);
      expect(fake.customers).toEqual([
        expect.objectContaining({
          id,
          name: '株式会社アクメ・ホールディングス',
          email: 'ap@acme.example.jp',
          address: { line1: '千代田1-1', line2: null, city: '千代田区', state: '東京都', postal_code: '100-0001', country: 'JP' },
          metadata: { contract: 'C-9', kanshi_customer_id: 'cust-1' },
        }),
      ]);
      const [create, update] = fake.requests;
      expect(create).toMatchObject({ method: 'POST', path: '/v1/customers', idempotencyKey: 'kanshi-customer-cust-1' });
      expect(update).toMatchObject({ method: 'POST', path: `/v1/customers/${id}`, idempotencyKey: expect.stringMatching(/^kanshi-customer-cust-1-[0-9a-f]{32}$/) });
    });

    it('returns the same Stripe customer when a create is repeated (the caller lost the id)', async () => {
      const { sut } = setup();
      const first = await customerId(sut);
      const second = await customerId(sut);
      expect(second).toBe(first);
      expect(fake.customers).toHaveLength(1);
      expect(fake.requests[1].replayed).toBe(true);
    });

    it('applies A -> B -> A even though the last change reuses the first change’s key', async () => {
      const { sut } = setup();
      const id = await customerId(sut);
      const base = { kanshiCustomerId: 'cust-1', stripeCustomerId: id, email: 'billing@acme.example.jp' };
      await sut.upsertCustomer({ ...base, name: 'A' });
      await sut.upsertCustomer({ ...base, name: 'B' });
      await sut.upsertCustomer({ ...base, name: 'A' });

      expect(fake.customers[0].name).toBe('A');
      // The last change was answered with the replay of the first one, so it was sent again.
      const [replayed, resent] = fake.requests.slice(-2);
      expect(replayed).toMatchObject({ replayed: true, idempotencyKey: fake.requests[1].idempotencyKey });
      expect(resent).toMatchObject({ replayed: false, path: `/v1/customers/${id}`, body: expect.objectContaining({ name: 'A' }) });
    });

    it('names the rejected param when Stripe refuses the customer', async () => {
      const { sut } = setup();
      const err = await sut.upsertCustomer({ kanshiCustomerId: 'cust-1', name: 'Acme', email: 'not-an-email' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StripeRejectedError);
      expect(err).toMatchObject({ statusCode: 400, param: 'email', code: 'email_invalid', type: 'invalid_request_error' });
    });
  });

  describe('syncInvoice', () => {
    it('creates one JPY send_invoice invoice with one item per line plus the tax line, and finalizes it', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      fake.requests.length = 0;

      const result = await sut.syncInvoice(invoiceInput(cus));

      expect(result).toEqual({ stripeInvoiceId: expect.stringMatching(/^in_/), status: 'open' });
      expect(fake.invoices).toEqual([
        expect.objectContaining({
          id: result.stripeInvoiceId,
          customer: cus,
          currency: 'jpy',
          collection_method: 'send_invoice',
          due_date: Math.floor(DUE.getTime() / 1000),
          number: 'KS-2031-0001',
          metadata: { kanshi_invoice_id: 'inv-2031-01-0001', kanshi_invoice_number: 'KS-2031-0001' },
          status: 'open',
          total: 440_000,
          amount_due: 440_000,
        }),
      ]);
      expect(fake.invoiceItems.map((i) => [i.metadata.kanshi_line_key, i.amount, i.currency, i.invoice, i.description])).toEqual([
        ['soc-monitoring', 300_000, 'jpy', result.stripeInvoiceId, 'SOC 監視サービス (2031年1月)'],
        ['edr-seats', 125_000, 'jpy', result.stripeInvoiceId, 'EDR 運用 50 台'],
        ['annual-discount', -25_000, 'jpy', result.stripeInvoiceId, '年間契約割引'],
        [TAX_LINE_KEY, 40_000, 'jpy', result.stripeInvoiceId, expect.stringContaining('消費税')],
      ]);
      // Amounts go over the wire as whole-yen integers.
      for (const r of fake.requests.filter((r) => r.path === '/v1/invoiceitems')) expect(r.body.amount).toMatch(/^-?\d+$/);

      expect(fake.requests.map((r) => [r.method, r.path.replace(/in_\w+/, 'in_*'), r.idempotencyKey])).toEqual([
        ['GET', '/v1/invoices', undefined],
        ['POST', '/v1/invoices', 'kanshi-in-inv-2031-01-0001'],
        ['POST', '/v1/invoiceitems', 'kanshi-ii-inv-2031-01-0001-soc-monitoring'],
        ['POST', '/v1/invoiceitems', 'kanshi-ii-inv-2031-01-0001-edr-seats'],
        ['POST', '/v1/invoiceitems', 'kanshi-ii-inv-2031-01-0001-annual-discount'],
        ['POST', '/v1/invoiceitems', `kanshi-ii-inv-2031-01-0001-${TAX_LINE_KEY}`],
        ['POST', '/v1/invoices/in_*/finalize', 'kanshi-in-inv-2031-01-0001-finalize'],
      ]);
      expect(fake.requests[1].body).toMatchObject({ auto_advance: 'false', pending_invoice_items_behavior: 'exclude', currency: 'jpy', collection_method: 'send_invoice' });
    });

    it('does not pull unrelated pending items of the customer into the invoice', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      const stripe = new Stripe(API_KEY, { ...fake.clientConfig(), maxNetworkRetries: 0 });
      await stripe.invoiceItems.create({ customer: cus, amount: 999, currency: 'jpy', description: 'added by hand' });

      const result = await sut.syncInvoice(invoiceInput(cus));

      expect(fake.invoices[0].total).toBe(440_000);
      expect(fake.invoiceItems.find((i) => i.amount === 999)?.invoice).toBeNull();
      expect(result.status).toBe('open');
    });

    it('is a no-op when run again after success', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      const first = await sut.syncInvoice(invoiceInput(cus));
      fake.requests.length = 0;

      await expect(sut.syncInvoice(invoiceInput(cus))).resolves.toEqual(first);
      expect(fake.invoices).toHaveLength(1);
      expect(fake.invoiceItems).toHaveLength(4);
      expect(requestsTo(/^POST/)).toEqual([]);
    });

    it('creates no duplicates when retried after the invoice creation failed', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      fake.failNext(1, { method: 'POST', path: '/v1/invoices', status: 500, type: 'api_error' });

      await expect(sut.syncInvoice(invoiceInput(cus))).rejects.toBeInstanceOf(StripeUnavailableError);
      expect(fake.invoices).toHaveLength(0);
      expect(fake.invoiceItems).toHaveLength(0);

      const result = await sut.syncInvoice(invoiceInput(cus));
      expect(result.status).toBe('open');
      expect(fake.invoices).toHaveLength(1);
      expect(fake.invoiceItems).toHaveLength(4);
      expect(fake.invoices[0].total).toBe(440_000);
    });

    it('creates no duplicates when the invoice was created but the answer was lost, even after the keys expired', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      // Stripe commits the invoice, the answer is lost, and the SDK's own reconnect attempt dies too.
      fake.failNext(1, { method: 'POST', path: '/v1/invoices', mode: 'lose-response' });
      fake.failNext(1, { method: 'POST', path: '/v1/invoices', mode: 'drop' });

      await expect(sut.syncInvoice(invoiceInput(cus))).rejects.toBeInstanceOf(StripeUnavailableError);
      expect(fake.invoices).toHaveLength(1);
      fake.expireIdempotencyKeys(); // the retry comes more than 24 h later

      const result = await sut.syncInvoice(invoiceInput(cus));
      expect(result).toEqual({ stripeInvoiceId: fake.invoices[0].id, status: 'open' });
      expect(fake.invoices).toHaveLength(1);
      expect(fake.invoiceItems).toHaveLength(4);
    });

    it('creates no duplicates when Stripe goes down half-way through the items', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      let items = 0;
      const takeDownOnThirdItem = (r: { method: string; path: string }): void => {
        if (r.method === 'POST' && r.path === '/v1/invoiceitems' && ++items === 3) void fake.setDown(true);
      };
      fake.on('request', takeDownOnThirdItem);

      const err = await sut.syncInvoice(invoiceInput(cus)).catch((e: unknown) => e);
      fake.off('request', takeDownOnThirdItem);
      expect(err).toBeInstanceOf(StripeUnavailableError);
      expect(fake.invoices).toEqual([expect.objectContaining({ status: 'draft' })]);
      expect(fake.invoiceItems).toHaveLength(2);

      await fake.setDown(false);
      const result = await sut.syncInvoice(invoiceInput(cus));

      expect(result.status).toBe('open');
      expect(fake.invoices).toHaveLength(1);
      expect(fake.invoiceItems.map((i) => i.metadata.kanshi_line_key)).toEqual(['soc-monitoring', 'edr-seats', 'annual-discount', TAX_LINE_KEY]);
      expect(fake.invoices[0].total).toBe(440_000);
    });

    it('returns the finalized invoice when only the finalize answer was lost', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      fake.failNext(2, { path: /\/finalize$/, mode: 'lose-response' });

      await expect(sut.syncInvoice(invoiceInput(cus))).rejects.toBeInstanceOf(StripeUnavailableError);
      expect(fake.invoices[0].status).toBe('open');

      await expect(sut.syncInvoice(invoiceInput(cus))).resolves.toEqual({ stripeInvoiceId: fake.invoices[0].id, status: 'open' });
      expect(fake.invoices).toHaveLength(1);
      expect(fake.invoiceItems).toHaveLength(4);
    });

    it('leaves the draft unfinalized when it no longer matches the Kanshi invoice', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      fake.failNext(1, { path: /\/finalize$/, status: 503 });
      await expect(sut.syncInvoice(invoiceInput(cus))).rejects.toBeInstanceOf(StripeUnavailableError);

      const changed = invoiceInput(cus);
      changed.lines[1] = { ...changed.lines[1], amount: 150_000 };
      const err = await sut.syncInvoice(changed).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(StripeInvoiceMismatchError);
      expect(err).toBeInstanceOf(StripeRejectedError);
      expect((err as StripeInvoiceMismatchError).message).toContain("line 'edr-seats'");
      expect(fake.invoices[0].status).toBe('draft');
    });

    it('reports an issued invoice whose Kanshi total changed afterwards instead of calling it synced', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      const { stripeInvoiceId } = await sut.syncInvoice(invoiceInput(cus));

      const err = await sut.syncInvoice(invoiceInput(cus, { tax: 41_000 })).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(StripeInvoiceMismatchError);
      expect(err).toMatchObject({ stripeInvoiceId });
      expect(fake.invoices).toHaveLength(1);
      expect(fake.invoiceItems).toHaveLength(4);
    });

    it('lets the SDK retry a 500 with the same idempotency key when retries are enabled', async () => {
      const { sut } = setup({ maxNetworkRetries: 1 });
      const cus = await customerId(sut);
      fake.failNext(1, { method: 'POST', path: '/v1/invoiceitems', status: 500 });

      await expect(sut.syncInvoice(invoiceInput(cus))).resolves.toMatchObject({ status: 'open' });
      const attempts = fake.requests.filter((r) => r.idempotencyKey === 'kanshi-ii-inv-2031-01-0001-soc-monitoring');
      expect(attempts.map((r) => r.status)).toEqual([500, 200]);
      expect(fake.invoiceItems).toHaveLength(4);
    });

    it('is rejected for good, creating nothing, when the due date has already passed', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      const err = await sut.syncInvoice(invoiceInput(cus, { dueDate: new Date(Date.now() - 86_400_000) })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StripeRejectedError);
      expect(err).toMatchObject({ param: 'due_date' });
      expect(fake.invoices).toHaveLength(0);
    });

    it('rejects non-integer yen before calling Stripe', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      fake.requests.length = 0;
      await expect(sut.syncInvoice(invoiceInput(cus, { tax: 40_000.5 }))).rejects.toThrow(/whole number of yen/);
      expect(fake.requests).toEqual([]);
    });

    it('throws StripeRejectedError naming the param when Stripe answers 400', async () => {
      const { sut } = setup();
      const err = await sut.syncInvoice(invoiceInput('cus_does_not_exist')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StripeRejectedError);
      expect(err).toMatchObject({ statusCode: 400, param: 'customer', code: 'resource_missing' });
      expect((err as Error).message).toContain('(param: customer)');
    });
  });

  describe('transient failures', () => {
    it.each([
      ['refused connections', async () => fake.setDown(true, 'refuse')],
      ['reset connections', async () => fake.setDown(true, 'reset')],
      ['500 api_error', async () => fake.failNext(5, { status: 500, type: 'api_error' })],
      ['503', async () => fake.failNext(5, { status: 503 })],
      ['429 rate limit', async () => fake.failNext(5, { status: 429 })],
    ])('turns %s into StripeUnavailableError', async (_name, breakStripe) => {
      const { sut } = setup();
      await breakStripe();
      const err = await customerId(sut).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StripeUnavailableError);
      expect(err).not.toBeInstanceOf(StripeRejectedError);
      expect(fake.customers).toHaveLength(0);
    });

    it('turns a timeout into StripeUnavailableError', async () => {
      const { sut } = setup({ timeoutMs: 200 });
      fake.failNext(1, { mode: 'hang' });
      const err = await customerId(sut).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StripeUnavailableError);
      expect((err as Error).message).toMatch(/timeout/i);
    });

    it('treats a wrong API key as permanent', async () => {
      const { sut } = setup({ apiKey: 'sk_test_wrong_key' });
      const err = await customerId(sut).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StripeRejectedError);
      expect(err).toMatchObject({ statusCode: 401 });
    });
  });

  describe('voidInvoice', () => {
    it('voids an open invoice, and accepts one that is already void', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      const { stripeInvoiceId } = await sut.syncInvoice(invoiceInput(cus));

      await sut.voidInvoice(stripeInvoiceId);
      expect(fake.invoices[0].status).toBe('void');
      fake.expireIdempotencyKeys();
      await expect(sut.voidInvoice(stripeInvoiceId)).resolves.toBeUndefined();
    });

    it('rejects voiding a paid invoice', async () => {
      const { sut } = setup();
      const cus = await customerId(sut);
      const { stripeInvoiceId } = await sut.syncInvoice(invoiceInput(cus));
      const stripe = new Stripe(API_KEY, { ...fake.clientConfig(), maxNetworkRetries: 0 });
      await stripe.invoices.pay(stripeInvoiceId, { paid_out_of_band: true });

      await expect(sut.voidInvoice(stripeInvoiceId)).rejects.toBeInstanceOf(StripeRejectedError);
      expect(fake.invoices[0].status).toBe('paid');
    });
  });

  describe('verifyWebhook', () => {
    let receiver: Server;
    let target: string;
    let outcome: Stripe.Event | StripeSignatureError | undefined;

    beforeAll(async () => {
      const { sut } = setup();
      // A stand-in for the webhook controller: raw body in, verified event out.
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          try {
            outcome = sut.verifyWebhook(Buffer.concat(chunks), req.headers['stripe-signature'] as string | undefined);
            res.writeHead(200).end();
          } catch (err) {
            if (!(err instanceof StripeSignatureError)) throw err;
            outcome = err;
            res.writeHead(400).end();
          }
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
    });
    beforeEach(() => {
      outcome = undefined;
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it('accepts a correctly signed event delivered over HTTP', async () => {
      const sent = await fake.sendWebhook(target, 'invoice.paid', { id: 'in_123', object: 'invoice', status: 'paid' }, { secret: WEBHOOK_SECRET });
      expect(sent.status).toBe(200);
      expect(outcome).toMatchObject({ id: sent.event.id, object: 'event', type: 'invoice.paid', data: { object: { id: 'in_123', status: 'paid' } } });
    });

    it('rejects a bad signature', async () => {
      const sent = await fake.sendWebhook(target, 'invoice.paid', { id: 'in_123' }, { secret: WEBHOOK_SECRET, signature: 'bad' });
      expect(sent.status).toBe(400);
      expect(outcome).toBeInstanceOf(StripeSignatureError);
      expect(outcome).toMatchObject({ reason: 'invalid' });
    });

    it('rejects an event signed with another endpoint’s secret', async () => {
      const sent = await fake.sendWebhook(target, 'invoice.paid', { id: 'in_123' }, { secret: 'whsec_someone_else' });
      expect(sent.status).toBe(400);
      expect(outcome).toMatchObject({ reason: 'invalid' });
    });

    it('rejects a signature older than 300 s, and accepts one just inside the window', async () => {
      const now = Math.floor(Date.now() / 1000);
      const old = await fake.sendWebhook(target, 'invoice.paid', { id: 'in_123' }, { secret: WEBHOOK_SECRET, timestamp: now - 301 });
      expect(old.status).toBe(400);
      expect(outcome).toMatchObject({ reason: 'expired' });

      const recent = await fake.sendWebhook(target, 'invoice.paid', { id: 'in_123' }, { secret: WEBHOOK_SECRET, timestamp: now - 290 });
      expect(recent.status).toBe(200);
    });

    it('rejects a missing header, and a body altered after signing', () => {
      const { sut } = setup();
      const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } });
      expect(() => sut.verifyWebhook(Buffer.from(payload), undefined)).toThrow(expect.objectContaining({ reason: 'missing' }));

      const header = stripeSignatureHeader(payload, WEBHOOK_SECRET);
      expect(sut.verifyWebhook(Buffer.from(payload), header).id).toBe('evt_1');
      expect(() => sut.verifyWebhook(Buffer.from(payload.replace('in_1', 'in_2')), header)).toThrow(StripeSignatureError);
      expect(() => sut.verifyWebhook(Buffer.from(payload), badStripeSignatureHeader(payload))).toThrow(StripeSignatureError);
    });
  });
});
