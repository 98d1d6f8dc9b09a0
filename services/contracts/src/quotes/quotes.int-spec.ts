// Quotes through the API against the real database: the seed's prices, partner prices, bad
// input, validity, quote.issued, and catalogue versions (grandfathering).
import { acceptQuote, ContractsKit, createCustomer, createPartner, createQuote, outboxEvents, QUOTE_FIELDS, startContracts } from '../contracts.int-kit';

let kit: ContractsKit;

beforeAll(async () => {
  // This spec lives in October 2026 (catalogue changes it makes take effect in 2031 only, so
  // specs running beside it never see them).
  kit = await startContracts({ now: '2026-10-01T10:00:00+09:00' });
});
afterAll(() => kit.close());
afterEach(() => kit.clock.set('2026-10-01T10:00:00+09:00'));

const linesOf = (quote: { lines: { code: string; quantity: number; unitPrice: number; amount: number }[] }) => quote.lines.map((l) => [l.code, l.quantity, l.unitPrice, l.amount]);

describe('the catalogue seeded from the service description', () => {
  it('lists the reference prices, hours and the liveness option', async () => {
    const { plans, catalogueOptions } = await kit.ok(
      'sales',
      `{ plans { code version hoursAllowed initialFee monthlyFee perEndpointMonthlyFee quoteOnly livenessIncluded availableOptions effectiveFrom }
         catalogueOptions { code initialFee monthlyFee } }`,
    );
    const byCode = Object.fromEntries(plans.map((p: { code: string }) => [p.code, p]));
    expect(byCode.FE_ALERT_ANALYSIS).toMatchObject({ hoursAllowed: ['BUSINESS_HOURS', 'ALWAYS'], initialFee: 150_000, monthlyFee: 150_000, livenessIncluded: false, availableOptions: ['LIVENESS_MONITORING'] });
    expect(byCode.FE_SECURITY_MONITORING).toMatchObject({ hoursAllowed: ['ALWAYS'], initialFee: 480_000, monthlyFee: 480_000, livenessIncluded: true });
    expect(byCode.MDR).toMatchObject({ hoursAllowed: ['ALWAYS'], initialFee: null, monthlyFee: null, perEndpointMonthlyFee: 1_500 });
    expect(byCode.INTEGRATED_MANAGEMENT).toMatchObject({ quoteOnly: true, initialFee: null });
    expect(byCode.SOC_DESIGN).toMatchObject({ quoteOnly: true, hoursAllowed: [] });
    expect(catalogueOptions).toEqual([{ code: 'LIVENESS_MONITORING', initialFee: 100_000, monthlyFee: 100_000 }]);
  });
});

describe('createQuote', () => {
  it('prices FE alert analysis with liveness monitoring at 150k/150k + 100k/100k, tax 10% once', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, {
      customerId: customer.id,
      plan: 'FE_ALERT_ANALYSIS',
      serviceHours: 'BUSINESS_HOURS',
      options: ['LIVENESS_MONITORING'],
      termMonths: 12,
      startDate: '2026-11-01',
    });
    expect(linesOf(quote)).toEqual([
      ['FE_ALERT_ANALYSIS:INITIAL', 1, 150_000, 150_000],
      ['FE_ALERT_ANALYSIS:MONTHLY', 12, 150_000, 1_800_000],
      ['LIVENESS_MONITORING:INITIAL', 1, 100_000, 100_000],
      ['LIVENESS_MONITORING:MONTHLY', 12, 100_000, 1_200_000],
    ]);
    expect(quote).toMatchObject({
      number: expect.stringMatching(/^Q-2026-\d{6}$/),
      status: 'DRAFT',
      oneTimeTotal: 250_000,
      monthlyTotal: 250_000,
      subtotal: 3_250_000,
      tax: 325_000,
      total: 3_575_000,
      taxByRate: [{ rate: 10, taxable: 3_250_000, tax: 325_000 }],
      quoteDate: '2026-10-01',
      validUntil: '2026-10-31',
      planVersion: 1,
    });
  });

  it('prices FE security monitoring at 480k/480k with liveness included at no charge', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'FE_SECURITY_MONITORING', options: ['LIVENESS_MONITORING'], termMonths: 1, startDate: '2026-10-15' });
    expect(quote.serviceHours).toBe('ALWAYS');
    expect(linesOf(quote)).toEqual([
      ['FE_SECURITY_MONITORING:INITIAL', 1, 480_000, 480_000],
      ['FE_SECURITY_MONITORING:MONTHLY', 1, 480_000, 480_000],
      ['LIVENESS_MONITORING:INCLUDED', 1, 0, 0],
    ]);
    expect(quote).toMatchObject({ subtotal: 960_000, tax: 96_000, total: 1_056_000 });
  });

  it('prices MDR per endpoint and month, and rounds the tax down once per quote', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, {
      customerId: customer.id,
      plan: 'MDR',
      endpointCount: 37,
      termMonths: 12,
      startDate: '2026-11-01',
      customLines: [{ description: 'Onboarding workshop', descriptionJa: '導入ワークショップ', quantity: 1, unitPrice: 33_333 }],
    });
    expect(linesOf(quote)).toEqual([
      ['MDR:ENDPOINT_MONTHLY', 444, 1_500, 666_000],
      ['CUSTOM', 1, 33_333, 33_333],
    ]);
    // 699,333 x 10% = 69,933.3 -> 69,933.
    expect(quote).toMatchObject({ subtotal: 699_333, tax: 69_933, total: 769_266 });
  });

  it('prices a partner customer with the partner discount, and with wholesale prices', async () => {
    const discount = await createPartner(kit, { discountBps: 1500 });
    const discounted = await createQuote(kit, {
      customerId: (await createCustomer(kit, { partnerId: discount.id })).id,
      plan: 'FE_ALERT_ANALYSIS',
      serviceHours: 'ALWAYS',
      termMonths: 1,
      startDate: '2026-11-01',
    });
    expect(linesOf(discounted)).toEqual([
      ['FE_ALERT_ANALYSIS:INITIAL', 1, 127_500, 127_500],
      ['FE_ALERT_ANALYSIS:MONTHLY', 1, 127_500, 127_500],
    ]);

    const wholesale = await createPartner(kit, { wholesalePrices: [{ plan: 'MDR', perEndpointMonthlyFee: 1_000 }] });
    const partnerAdmin = { partnerId: wholesale.id };
    const customer = (await kit.ok('partner_admin', `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id partnerId } }`, { i: { name: '卸先顧客株式会社' } }, partnerAdmin)).createCustomer;
    expect(customer.partnerId).toBe(wholesale.id);
    const mdr = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 10, termMonths: 1, startDate: '2026-11-01' }, 'partner_admin', partnerAdmin);
    expect(linesOf(mdr)).toEqual([['MDR:ENDPOINT_MONTHLY', 10, 1_000, 10_000]]);
  });

  describe("a partner's own discounts and custom lines", () => {
    const SEND = `mutation($id: ID!) { sendQuote(id: $id) { status approvalReasons approvedAt } }`;
    const APPROVE = `mutation($id: ID!) { approveQuote(id: $id) { status approvalReasons approvedAt } }`;
    const ACCEPT = `mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "1.1") { id } }`;
    const LIMITS = `mutation($p: ID!, $i: SetPartnerPricingInput!) { setPartnerPricing(partnerId: $p, input: $i) { quoteDiscountLimitBps quoteCustomLinesLimit } }`;
    let partner: { partnerId: string };
    let customerId: string;
    beforeAll(async () => {
      partner = { partnerId: (await createPartner(kit)).id };
      customerId = (await kit.ok('partner_admin', `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }`, { i: { name: '再販先株式会社' } }, partner)).createCustomer.id;
    });
    const partnerQuote = (extra: Record<string, unknown>) =>
      kit.ok('partner_admin', `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id status approvalReasons approvedAt total } }`, { i: { customerId, plan: 'MDR', endpointCount: 10, termMonths: 12, startDate: '2026-11-01', ...extra } }, partner).then((r) => r.createQuote);

    it('a 100% discount cannot be sent, let alone accepted, until provider_admin approves it', async () => {
      const quote = await partnerQuote({ discount: { percent: 100 } });
      expect(quote.total).toBe(0);
      expect(quote.approvalReasons).toEqual(["a discount of 100% is above the partner's limit of 0%"]);
      const send = await kit.gql('partner_admin', SEND, { id: quote.id }, partner);
      expect(send.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' }, message: expect.stringContaining('needs provider approval before it is sent') });
      expect((await kit.gql('partner_admin', ACCEPT, { id: quote.id }, partner)).errors?.[0].message).toMatch(/is a draft: it can be accepted once it is sent/);
      // neither the partner nor sales may approve it
      expect((await kit.gql('partner_admin', APPROVE, { id: quote.id }, partner)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await kit.gql('sales', APPROVE, { id: quote.id })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await kit.ds.query(`SELECT id FROM contracts.contract WHERE quote_id = $1`, [quote.id])).toEqual([]);

      const approved = (await kit.ok('provider_admin', APPROVE, { id: quote.id })).approveQuote;
      expect(approved).toMatchObject({ status: 'DRAFT', approvedAt: expect.any(String) });
      expect((await kit.ok('partner_admin', SEND, { id: quote.id }, partner)).sendQuote.status).toBe('SENT');
      const { acceptQuote: contract } = await kit.ok('partner_admin', `mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "1.1") { id prices { monthlyFee } } }`, { id: quote.id }, partner);

      // the partner's customer sees neither the partner's quote nor the prices the partner pays
      const asCustomer = { customerId };
      expect((await kit.ok('customer_admin', `query($id: ID!) { quote(id: $id) { id } }`, { id: quote.id }, asCustomer)).quote).toBeNull();
      expect((await kit.ok('customer_admin', `{ quotes { id } }`, {}, asCustomer)).quotes).toEqual([]);
      expect((await kit.gql('customer_admin', ACCEPT, { id: quote.id }, asCustomer)).errors?.[0].message).toBe(`quote ${quote.id} not found`);
      const seen = (await kit.ok('customer_admin', `query($id: ID!) { contract(id: $id) { id prices { monthlyFee } quote { id } } }`, { id: contract.id }, asCustomer)).contract;
      expect(seen).toEqual({ id: contract.id, prices: null, quote: null });
      expect(contract.prices).not.toBeNull();
    });

    it("a direct customer sees its own quote and prices", async () => {
      const direct = await createCustomer(kit);
      const q = await createQuote(kit, { customerId: direct.id, plan: 'MDR', endpointCount: 5, startDate: '2026-11-01' });
      expect((await kit.ok('customer_admin', `query($id: ID!) { quote(id: $id) { id lines { unitPrice } } }`, { id: q.id }, { customerId: direct.id })).quote.lines).toEqual([{ unitPrice: 1500 }]);
    });

    it('custom lines at 0 yen, or above the limit in all, need approval; within the limits the partner sends alone', async () => {
      const free = await partnerQuote({ customLines: [{ description: 'MDR for 500 more endpoints', quantity: 1, unitPrice: 0 }] });
      expect(free.approvalReasons).toEqual(['custom lines at 0 yen']);
      const onsite = await partnerQuote({ customLines: [{ description: 'On-site setup', quantity: 1, unitPrice: 80_000 }] });
      expect(onsite.approvalReasons).toEqual(["custom lines of 80000 yen are above the partner's limit of 0 yen"]);

      // sales may not change a partner's terms; provider_admin sets its limits
      expect((await kit.gql('sales', LIMITS, { p: partner.partnerId, i: { quoteDiscountLimitBps: 1000 } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const bad = await kit.gql('provider_admin', LIMITS, { p: partner.partnerId, i: { quoteDiscountLimitBps: 10_001 } });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quoteDiscountLimitBps' });
      expect((await kit.ok('provider_admin', LIMITS, { p: partner.partnerId, i: { quoteDiscountLimitBps: 1000, quoteCustomLinesLimit: 100_000 } })).setPartnerPricing).toEqual({ quoteDiscountLimitBps: 1000, quoteCustomLinesLimit: 100_000 });

      const within = await partnerQuote({ discount: { percent: 10 }, customLines: [{ description: 'On-site setup', quantity: 1, unitPrice: 80_000 }] });
      expect(within.approvalReasons).toEqual([]);
      expect((await kit.ok('partner_admin', SEND, { id: within.id }, partner)).sendQuote.status).toBe('SENT');
      const beyond = await partnerQuote({ discount: { percent: 10.5 } });
      expect(beyond.approvalReasons).toEqual(["a discount of 10.5% is above the partner's limit of 10%"]);
      // approval is asked of quotes that need it only
      const none = await kit.gql('provider_admin', APPROVE, { id: within.id });
      expect(none.errors?.[0].message).toMatch(/within its partner's limits and needs no approval/);
    });

    it("sales' own quotes for a partner's customer need no approval", async () => {
      const { createQuote: q } = await kit.ok('sales', `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id approvalReasons } }`, { i: { customerId, plan: 'MDR', endpointCount: 10, startDate: '2026-11-01', discount: { percent: 30 } } });
      expect(q.approvalReasons).toEqual([]);
    });
  });

  it('refuses a partner quoting for a customer that is not its own, as if it did not exist', async () => {
    const partner = await createPartner(kit);
    const direct = await createCustomer(kit);
    const r = await kit.gql('partner_admin', `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }`, { i: { customerId: direct.id, plan: 'MDR', endpointCount: 5, startDate: '2026-11-01' } }, { partnerId: partner.id });
    expect(r.errors?.[0]).toMatchObject({ message: `customer ${direct.id} not found`, extensions: { code: 'NOT_FOUND', reason: 'CUSTOMER_NOT_FOUND', field: 'customerId' } });
  });

  describe('bad input is BAD_USER_INPUT naming the field, and writes nothing', () => {
    let customerId: string;
    beforeAll(async () => {
      customerId = (await createCustomer(kit)).id;
    });
    const quoteCount = async () => Number((await kit.ds.query(`SELECT count(*) AS n FROM contracts.quote WHERE customer_id = $1`, [customerId]))[0].n);

    it.each([
      ['BUSINESS_HOURS on a 24/365-only plan', { plan: 'FE_SECURITY_MONITORING', serviceHours: 'BUSINESS_HOURS' }, 'serviceHours'],
      ['MDR without an endpoint count', { plan: 'MDR' }, 'endpointCount'],
      ['MDR with a negative endpoint count', { plan: 'MDR', endpointCount: -3 }, 'endpointCount'],
      ['an option the plan does not offer', { plan: 'MDR', endpointCount: 3, options: ['LIVENESS_MONITORING'] }, 'options'],
      ['a quote-only plan without lines', { plan: 'INTEGRATED_MANAGEMENT' }, 'customLines'],
      ['a start date in the past', { plan: 'MDR', endpointCount: 3, startDate: '2026-09-30' }, 'startDate'],
      ['a term of 0 months', { plan: 'MDR', endpointCount: 3, termMonths: 0 }, 'termMonths'],
    ])('%s', async (_, input, field) => {
      const r = await kit.gql('sales', `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }`, { i: { customerId, startDate: '2026-11-01', ...input } });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await quoteCount()).toBe(0);
    });

    it('an unknown plan', async () => {
      const r = await kit.gql('sales', `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }`, { i: { customerId, startDate: '2026-11-01', plan: 'PLATINUM' } });
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].message).toContain('plan');
      expect(await quoteCount()).toBe(0);
    });

    it('an invalid invoice registration number on a new customer', async () => {
      const before = Number((await kit.ds.query(`SELECT count(*) AS n FROM contracts.customer`))[0].n);
      const r = await kit.gql('sales', `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }`, { i: { name: '誤番号株式会社', invoiceRegistrationNumber: 'T7000012050003' } });
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'invoiceRegistrationNumber' }, message: expect.stringContaining('check digit') });
      expect(Number((await kit.ds.query(`SELECT count(*) AS n FROM contracts.customer`))[0].n)).toBe(before);
    });
  });
});

describe('quote lifecycle', () => {
  it('sends a quote once, with quote.issued in the outbox for reporting', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 5, startDate: '2026-11-01' });
    const send = `mutation($id: ID!) { sendQuote(id: $id) { status sentAt } }`;
    expect((await kit.ok('sales', send, { id: quote.id })).sendQuote.status).toBe('SENT');
    await kit.ok('sales', send, { id: quote.id });
    expect(await outboxEvents(kit, 'contracts.quote.issued.v1', customer.id)).toEqual([
      expect.objectContaining({ customerId: customer.id, body: { quoteId: quote.id, customerId: customer.id, number: quote.number } }),
    ]);
  });

  it('publishes the whole quote as quote.issued.v2 beside v1, for reporting’s PDF', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 5, startDate: '2026-11-01' });
    await kit.ok('sales', `mutation($id: ID!) { sendQuote(id: $id) { id } }`, { id: quote.id });
    const [v2] = await outboxEvents(kit, 'contracts.quote.issued.v2', customer.id);
    expect(v2.body).toEqual({
      quoteId: quote.id,
      customerId: customer.id,
      partnerId: null,
      number: quote.number,
      language: 'ja',
      plan: 'MDR',
      issueDate: kit.clock.today(),
      validUntil: quote.validUntil,
      startDate: '2026-11-01',
      termMonths: quote.termMonths,
      issuer: { name: 'Kanshi SOC K.K.', registrationNumber: 'T7123456789012' },
      recipient: { kind: 'customer', id: customer.id, name: customer.name },
      lines: quote.lines.map((l: { description: string; descriptionJa: string; quantity: number; unitPrice: number; amount: number; taxRate: number; recurring: string; months: number | null }) => ({
        description: l.description,
        descriptionJa: l.descriptionJa,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        amount: l.amount,
        taxRate: l.taxRate,
        recurring: l.recurring.toLowerCase(),
        months: l.months,
      })),
      subtotal: quote.subtotal,
      taxByRate: quote.taxByRate,
      tax: quote.tax,
      total: quote.total,
      oneTimeTotal: quote.oneTimeTotal,
      monthlyTotal: quote.monthlyTotal,
    });
  });

  it('expires after its validity, and an expired quote cannot be accepted', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 5, startDate: '2026-11-01', validDays: 7 });
    expect(quote.validUntil).toBe('2026-10-08');
    kit.clock.set('2026-10-08T23:00:00+09:00');
    expect((await kit.ok('sales', `query($id: ID!) { quote(id: $id) { status } }`, { id: quote.id })).quote.status).toBe('DRAFT');
    kit.clock.set('2026-10-09T00:00:00+09:00');
    expect((await kit.ok('sales', `query($id: ID!) { quote(id: $id) { status } }`, { id: quote.id })).quote.status).toBe('EXPIRED');
    const r = await kit.gql('sales', `mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "1.1") { id } }`, { id: quote.id });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' }, message: expect.stringContaining('expired') });
    expect(await kit.ds.query(`SELECT id FROM contracts.contract WHERE quote_id = $1`, [quote.id])).toEqual([]);
  });

  it('withdraws a quote, which then cannot be accepted', async () => {
    const customer = await createCustomer(kit);
    const quote = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 5, startDate: '2026-11-01' });
    expect((await kit.ok('sales', `mutation($id: ID!) { withdrawQuote(id: $id) { status } }`, { id: quote.id })).withdrawQuote.status).toBe('WITHDRAWN');
    const r = await kit.gql('sales', `mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "1.1") { id } }`, { id: quote.id });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('catalogue versions', () => {
  it('lets provider_admin change a price for new quotes only; a signed contract keeps its price', async () => {
    const customer = await createCustomer(kit);
    // Signed in 2030 at 1,500 per endpoint.
    kit.clock.set('2030-12-01T10:00:00+09:00');
    const before = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 10, termMonths: 1, startDate: '2030-12-10' });
    const contract = await acceptQuote(kit, before.id);

    const forbidden = await kit.gql('sales', `mutation { updatePlan(input: { code: MDR, perEndpointMonthlyFee: 1800 }) { version } }`);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const past = await kit.gql('provider_admin', `mutation { updatePlan(input: { code: MDR, perEndpointMonthlyFee: 1800, effectiveFrom: "2030-11-30" }) { version } }`);
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'effectiveFrom' });
    const noSuchFee = await kit.gql('provider_admin', `mutation { updatePlan(input: { code: MDR, monthlyFee: 1800, effectiveFrom: "2031-01-01" }) { version } }`);
    expect(noSuchFee.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'monthlyFee' });

    const { updatePlan } = await kit.ok('provider_admin', `mutation { updatePlan(input: { code: MDR, perEndpointMonthlyFee: 1800, effectiveFrom: "2031-01-01" }) { code version perEndpointMonthlyFee effectiveFrom } }`);
    expect(updatePlan).toMatchObject({ version: 2, perEndpointMonthlyFee: 1_800, effectiveFrom: '2031-01-01' });
    // Not yet in force in December 2030.
    expect((await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 10, termMonths: 1, startDate: '2030-12-20' })).lines[0].unitPrice).toBe(1_500);

    kit.clock.set('2031-01-05T10:00:00+09:00');
    const after = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 10, termMonths: 1, startDate: '2031-02-01' });
    expect(after).toMatchObject({ planVersion: 2, lines: [expect.objectContaining({ unitPrice: 1_800, amount: 18_000 })] });
    const { contract: kept } = await kit.ok('sales', `query($id: ID!) { contract(id: $id) { planVersion prices { perEndpointMonthlyFee } } }`, { id: contract.id });
    expect(kept).toEqual({ planVersion: 1, prices: { perEndpointMonthlyFee: 1_500 } });
    const { planVersions } = await kit.ok('sales', `{ planVersions(code: MDR) { version perEndpointMonthlyFee } }`);
    expect(planVersions).toEqual([
      { version: 2, perEndpointMonthlyFee: 1_800 },
      { version: 1, perEndpointMonthlyFee: 1_500 },
    ]);
  });
});

describe('reading quotes', () => {
  it('lists a customer’s quotes newest first', async () => {
    const customer = await createCustomer(kit);
    const a = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 1, startDate: '2026-11-01' });
    const b = await createQuote(kit, { customerId: customer.id, plan: 'MDR', endpointCount: 2, startDate: '2026-11-01' });
    const { quotes } = await kit.ok('customer_viewer', `query($c: ID) { quotes(customerId: $c) { ${QUOTE_FIELDS} customer { id } } }`, { c: customer.id }, { customerId: customer.id });
    expect(quotes.map((q: { id: string }) => q.id)).toEqual([b.id, a.id]);
    expect(quotes[0].customer).toEqual({ id: customer.id });
  });
});
