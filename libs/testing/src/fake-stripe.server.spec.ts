import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  badStripeSignatureHeader,
  encodeStripeForm,
  FakeStripeServer,
  parseStripeForm,
  stripeSignatureHeader,
} from './fake-stripe.server';

const KEY = 'sk_test_kanshi';

// Response bodies are asserted on field by field, not typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type ApiResponse = Omit<Response, 'json'> & { json(): Promise<Json> };

describe('parseStripeForm', () => {
  it('builds nested objects from bracketed keys', () => {
    expect(parseStripeForm('name=Acme&metadata[kanshi_id]=c1&metadata[plan]=gold&address[postal_code]=100-0001')).toEqual({
      name: 'Acme',
      metadata: { kanshi_id: 'c1', plan: 'gold' },
      address: { postal_code: '100-0001' },
    });
  });

  it('builds arrays from indexed and empty brackets, including arrays of objects', () => {
    expect(parseStripeForm('expand[0]=lines&expand[1]=customer&tags[]=a&tags[]=b&lines[0][amount]=100&lines[0][description]=x&lines[1][amount]=-5')).toEqual({
      expand: ['lines', 'customer'],
      tags: ['a', 'b'],
      lines: [{ amount: '100', description: 'x' }, { amount: '-5' }],
    });
  });

  it('decodes percent-encoding, plus signs and encoded brackets', () => {
    expect(parseStripeForm('name=%E7%9B%A3%E8%A6%96+%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE&description=a%20b%26c&metadata%5Bk%5D=v')).toEqual({
      name: '監視 株式会社',
      description: 'a b&c',
      metadata: { k: 'v' },
    });
  });

  it('keeps empty values (Stripe reads them as "unset") and lets later pairs win', () => {
    expect(parseStripeForm('description=&metadata=&name=a&name=b')).toEqual({ description: '', metadata: '', name: 'b' });
  });

  it('ignores keys that would reach Object.prototype', () => {
    const parsed = parseStripeForm('__proto__[polluted]=1&metadata[__proto__][x]=1&a=1');
    expect(parsed).toEqual({ a: '1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('round-trips what encodeStripeForm (the SDK format) produces', () => {
    const params = { customer: 'cus_1', amount: -500, metadata: { line: 'discount' }, expand: ['invoice'] };
    expect(parseStripeForm(encodeStripeForm(params))).toEqual({ customer: 'cus_1', amount: '-500', metadata: { line: 'discount' }, expand: ['invoice'] });
  });
});

describe('FakeStripeServer', () => {
  let fake: FakeStripeServer;
  let base: string;

  beforeAll(async () => {
    fake = new FakeStripeServer();
    base = (await fake.start()).url;
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.stop());

  const post = (path: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ApiResponse> =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: encodeStripeForm(params),
    });
  const get = (path: string, headers: Record<string, string> = { Authorization: `Bearer ${KEY}` }): Promise<ApiResponse> => fetch(`${base}${path}`, { headers });

  describe('authentication', () => {
    it('answers 401 with a Stripe error when the API key is missing or not a test secret key', async () => {
      const missing = await get('/v1/customers', {});
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error', message: expect.stringContaining('did not provide an API key') }) });

      const publishable = await get('/v1/customers', { Authorization: 'Bearer pk_test_abc' });
      expect(publishable.status).toBe(401);
      expect((await publishable.json()).error.code).toBe('api_key_invalid');
    });

    it('accepts the key as HTTP basic auth user, like curl -u sk_test_...:', async () => {
      const res = await get('/v1/customers', { Authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}` });
      expect(res.status).toBe(200);
    });
  });

  describe('customers', () => {
    it('creates, retrieves, updates and lists customers with Stripe ids and shapes', async () => {
      const created = await (await post('/v1/customers', { name: 'Acme', email: 'ops@acme.jp', metadata: { kanshi_customer_id: 'c1' } })).json();
      expect(created).toMatchObject({ id: expect.stringMatching(/^cus_\w{14}$/), object: 'customer', name: 'Acme', metadata: { kanshi_customer_id: 'c1' }, livemode: false });

      const updated = await (await post(`/v1/customers/${created.id}`, { name: 'Acme KK', metadata: { kanshi_customer_id: '', tier: 'gold' }, address: { country: 'JP' } })).json();
      expect(updated).toMatchObject({ id: created.id, name: 'Acme KK', email: 'ops@acme.jp', metadata: { tier: 'gold' }, address: { country: 'JP', line1: null } });

      expect(await (await get(`/v1/customers/${created.id}`)).json()).toEqual(updated);
      const list = await (await get('/v1/customers?email=ops%40acme.jp')).json();
      expect(list).toMatchObject({ object: 'list', has_more: false, data: [{ id: created.id }] });
    });

    it('answers 404 resource_missing for an unknown id', async () => {
      const res = await get('/v1/customers/cus_missing');
      expect(res.status).toBe(404);
      expect((await res.json()).error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: "No such customer: 'cus_missing'" });
    });

    it('rejects unknown parameters, as Stripe does', async () => {
      const res = await post('/v1/customers', { nmae: 'typo' });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'parameter_unknown', param: 'nmae' });
    });
  });

  describe('idempotent requests', () => {
    it('replays the stored answer for a repeated key with the same parameters', async () => {
      const first = await post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'k-1' });
      const again = await post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'k-1' });
      const firstBody = await first.json();
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(await again.json()).toEqual(firstBody);
      expect(fake.customers).toHaveLength(1);
      expect(fake.requests.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
        ['k-1', false],
        ['k-1', true],
      ]);
    });

    it('answers 400 idempotency_error when the key is reused with different parameters or another endpoint', async () => {
      await post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'k-2' });
      const changed = await post('/v1/customers', { name: 'Other' }, { 'Idempotency-Key': 'k-2' });
      expect(changed.status).toBe(400);
      expect((await changed.json()).error).toMatchObject({ type: 'idempotency_error', message: expect.stringContaining("other than 'k-2'") });

      const elsewhere = await post('/v1/invoices', { customer: fake.customers[0].id }, { 'Idempotency-Key': 'k-2' });
      expect(elsewhere.status).toBe(400);
      expect((await elsewhere.json()).error.type).toBe('idempotency_error');
      expect(fake.customers).toHaveLength(1);
      expect(fake.invoices).toHaveLength(0);
    });

    it('does not save a rejected request, so it can be retried with the same key once fixed', async () => {
      const customer = await (await post('/v1/customers', { name: 'Acme' })).json();
      const bad = await post('/v1/invoiceitems', { customer: customer.id, currency: 'jpy', amount: '100.5' }, { 'Idempotency-Key': 'k-3' });
      expect(bad.status).toBe(400);
      const good = await post('/v1/invoiceitems', { customer: customer.id, currency: 'jpy', amount: 100 }, { 'Idempotency-Key': 'k-3' });
      expect(good.status).toBe(200);
    });

    it('forgets keys when told they expired (Stripe prunes them after 24 h)', async () => {
      await post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'k-4' });
      fake.expireIdempotencyKeys();
      await post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'k-4' });
      expect(fake.customers).toHaveLength(2);
    });
  });

  describe('invoice items and invoices (JPY)', () => {
    async function customer(): Promise<string> {
      return (await (await post('/v1/customers', { name: 'Acme' })).json()).id;
    }

    it('rejects a missing required param with param set, and non-integer yen amounts', async () => {
      const noCustomer = await post('/v1/invoiceitems', { amount: 100, currency: 'jpy' });
      expect(noCustomer.status).toBe(400);
      expect((await noCustomer.json()).error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_missing', param: 'customer' });

      const cus = await customer();
      const fraction = await post('/v1/invoiceitems', { customer: cus, amount: '1000.5', currency: 'jpy' });
      expect(fraction.status).toBe(400);
      expect((await fraction.json()).error).toMatchObject({ code: 'parameter_invalid_integer', param: 'amount' });

      const unknownCustomer = await post('/v1/invoiceitems', { customer: 'cus_nope', amount: 100, currency: 'jpy' });
      expect(unknownCustomer.status).toBe(400);
      expect((await unknownCustomer.json()).error).toMatchObject({ code: 'resource_missing', param: 'customer' });
    });

    it('requires a future due date for send_invoice and refuses one for charge_automatically', async () => {
      const cus = await customer();
      const noDue = await post('/v1/invoices', { customer: cus, collection_method: 'send_invoice' });
      expect(noDue.status).toBe(400);
      expect((await noDue.json()).error).toMatchObject({ code: 'parameter_missing', param: 'days_until_due' });

      const dueOnAuto = await post('/v1/invoices', { customer: cus, due_date: 1_900_000_000 });
      expect(dueOnAuto.status).toBe(400);
      expect((await dueOnAuto.json()).error.param).toBe('due_date');

      const pastDue = await post('/v1/invoices', { customer: cus, collection_method: 'send_invoice', due_date: Math.floor(Date.now() / 1000) - 60 });
      expect(pastDue.status).toBe(400);
      expect((await pastDue.json()).error).toMatchObject({ param: 'due_date', message: expect.stringContaining('in the future') });
    });

    it('sweeps pending items into a new invoice only with pending_invoice_items_behavior=include', async () => {
      const cus = await customer();
      const item = await (await post('/v1/invoiceitems', { customer: cus, amount: 50_000, currency: 'jpy', description: 'SOC monitoring' })).json();
      expect(item).toMatchObject({ id: expect.stringMatching(/^ii_/), object: 'invoiceitem', invoice: null, amount: 50_000, currency: 'jpy' });

      const excluded = await (await post('/v1/invoices', { customer: cus, currency: 'jpy', collection_method: 'send_invoice', days_until_due: 30 })).json();
      expect(excluded.lines.data).toHaveLength(0);

      const included = await (
        await post('/v1/invoices', { customer: cus, currency: 'jpy', collection_method: 'send_invoice', days_until_due: 30, pending_invoice_items_behavior: 'include' })
      ).json();
      expect(included).toMatchObject({ id: expect.stringMatching(/^in_/), object: 'invoice', status: 'draft', total: 50_000, currency: 'jpy' });
      expect(included.lines.data).toEqual([
        expect.objectContaining({ object: 'line_item', amount: 50_000, parent: expect.objectContaining({ invoice_item_details: expect.objectContaining({ invoice_item: item.id }) }) }),
      ]);
    });

    it('runs draft -> open -> paid, and refuses to void a paid invoice', async () => {
      const cus = await customer();
      const inv = await (await post('/v1/invoices', { customer: cus, currency: 'jpy', collection_method: 'send_invoice', due_date: 1_900_000_000 })).json();
      await post('/v1/invoiceitems', { customer: cus, invoice: inv.id, amount: 10_000 });
      await post('/v1/invoiceitems', { customer: cus, invoice: inv.id, amount: -1_000 });

      const open = await (await post(`/v1/invoices/${inv.id}/finalize`, {})).json();
      expect(open).toMatchObject({ status: 'open', total: 9_000, amount_due: 9_000, due_date: 1_900_000_000, number: expect.stringMatching(/^[0-9A-F]{8}-0001$/) });

      const late = await post('/v1/invoiceitems', { customer: cus, invoice: inv.id, amount: 1 });
      expect((await late.json()).error).toMatchObject({ code: 'invoice_not_editable', param: 'invoice' });

      expect((await (await post(`/v1/invoices/${inv.id}/send`, {})).json()).status).toBe('open');
      const paid = await (await post(`/v1/invoices/${inv.id}/pay`, { paid_out_of_band: true })).json();
      expect(paid).toMatchObject({ status: 'paid', amount_paid: 9_000, amount_remaining: 0 });

      const voided = await post(`/v1/invoices/${inv.id}/void`, {});
      expect(voided.status).toBe(400);
      expect((await (await get(`/v1/invoices/${inv.id}`)).json()).status).toBe('paid');
    });

    it('voids an open invoice', async () => {
      const cus = await customer();
      const inv = await (await post('/v1/invoices', { customer: cus, currency: 'jpy', collection_method: 'send_invoice', days_until_due: 14 })).json();
      await post('/v1/invoiceitems', { customer: cus, invoice: inv.id, amount: 3_300 });
      await post(`/v1/invoices/${inv.id}/finalize`, {});
      const voided = await (await post(`/v1/invoices/${inv.id}/void`, {})).json();
      expect(voided).toMatchObject({ status: 'void', status_transitions: { voided_at: expect.any(Number) } });
    });

    it('lists a customer’s invoices newest first with cursor paging', async () => {
      const cus = await customer();
      const other = await customer();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await (await post('/v1/invoices', { customer: cus, currency: 'jpy' })).json()).id);
      }
      await post('/v1/invoices', { customer: other, currency: 'jpy' });

      const page1 = await (await get(`/v1/invoices?customer=${cus}&limit=2`)).json();
      expect(page1).toMatchObject({ object: 'list', has_more: true, url: '/v1/invoices' });
      expect(page1.data.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
      const page2 = await (await get(`/v1/invoices?customer=${cus}&limit=2&starting_after=${ids[1]}`)).json();
      expect(page2).toMatchObject({ has_more: false });
      expect(page2.data.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    });
  });

  describe('test controls', () => {
    it('fails the next n matching requests, then recovers; the log records them', async () => {
      fake.failNext(1, { status: 500, type: 'api_error', path: '/v1/customers', method: 'POST' });
      await get('/v1/customers'); // does not match the rule
      const failed = await post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'f-1' });
      expect(failed.status).toBe(500);
      expect((await failed.json()).error.type).toBe('api_error');
      const retried = await post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'f-1' });
      expect(retried.status).toBe(200);
      // The failure happened before execution, so the retry executed rather than replayed.
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(fake.requests.map((r) => [r.method, r.path, r.status, r.injected])).toEqual([
        ['GET', '/v1/customers', 200, undefined],
        ['POST', '/v1/customers', 500, 'error'],
        ['POST', '/v1/customers', 200, undefined],
      ]);
      expect(fake.requests[1].body).toEqual({ name: 'Acme' });
    });

    it('can skip matching requests before failing, and drop the connection', async () => {
      fake.failNext(1, { path: '/v1/customers', skip: 1, mode: 'drop' });
      expect((await post('/v1/customers', { name: 'first' })).status).toBe(200);
      await expect(post('/v1/customers', { name: 'second' })).rejects.toThrow();
      expect(fake.customers.map((c) => c.name)).toEqual(['first']);
    });

    it('lose-response executes the request, stores its idempotent result, and drops the answer', async () => {
      fake.failNext(1, { mode: 'lose-response' });
      await expect(post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'lost-1' })).rejects.toThrow();
      expect(fake.customers).toHaveLength(1);
      const retried = await post('/v1/customers', { name: 'Acme' }, { 'Idempotency-Key': 'lost-1' });
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect((await retried.json()).id).toBe(fake.customers[0].id);
    });

    it('refuses connections while down and serves again on the same port when up', async () => {
      const port = fake.port;
      await fake.setDown(true);
      await expect(get('/v1/customers')).rejects.toThrow();
      await fake.setDown(false);
      expect(fake.port).toBe(port);
      expect((await get('/v1/customers')).status).toBe(200);
    });

    it('resets connections in reset mode', async () => {
      await fake.setDown(true, 'reset');
      await expect(get('/v1/customers')).rejects.toThrow();
      await fake.setDown(false);
      expect((await get('/v1/customers')).status).toBe(200);
    });
  });

  describe('webhooks', () => {
    let receiver: Server;
    let received: { headers: IncomingMessage['headers']; body: string }[];
    let target: string;

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(200).end('ok');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
    });
    beforeEach(() => {
      received = [];
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it('POSTs a Stripe event signed with HMAC-SHA256 of "t.body"', async () => {
      const secret = 'whsec_test_secret';
      const sent = await fake.sendWebhook(target, 'invoice.paid', { id: 'in_123', object: 'invoice', status: 'paid' }, { secret });
      expect(sent.status).toBe(200);
      expect(received).toHaveLength(1);
      const [{ headers, body }] = received;
      expect(JSON.parse(body)).toMatchObject({ id: expect.stringMatching(/^evt_/), object: 'event', type: 'invoice.paid', created: expect.any(Number), data: { object: { id: 'in_123' } } });
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['stripe-signature']));
      expect(match).not.toBeNull();
      const [, t, v1] = match as RegExpExecArray;
      expect(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')).toBe(v1);
      expect(headers['content-type']).toBe('application/json; charset=utf-8');
    });

    it('can send a well-formed signature that does not match the body', async () => {
      const secret = 'whsec_test_secret';
      const sent = await fake.sendWebhook(target, 'invoice.paid', { id: 'in_123' }, { secret, signature: 'bad' });
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sent.signatureHeader) as RegExpExecArray;
      expect(received[0].body).toBe(sent.payload);
      expect(createHmac('sha256', secret).update(`${t}.${sent.payload}`).digest('hex')).not.toBe(v1);
      expect(stripeSignatureHeader(sent.payload, secret, Number(t))).not.toBe(sent.signatureHeader);
      expect(badStripeSignatureHeader(sent.payload, 1)).toMatch(/^t=1,v1=[0-9a-f]{64}$/);
    });
  });
});
