import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { ContractsError } from '../contracts.errors';
import { Catalogue, findPlan, SEED_CATALOGUE } from '../pricing/catalogue';
import { PartnerPricing } from '../pricing/contract-prices';
import { computeQuote, QuoteInput } from '../pricing/quote-calculator';
import { buildInvoice, BuildInvoiceInput, ContractToBill, CustomerToBill, InvoiceDraft, peakEndpointCount } from './invoice-builder';

const issuer = { name: 'Kanshi SOC K.K.', registrationNumber: 'T7123456789012' };

// A contract as the service stores it when a quote is accepted: the quote's prices, kept.
function contract(
  contractId: string,
  quoteInput: Omit<QuoteInput, 'termMonths'>,
  over: Partial<ContractToBill> & Pick<ContractToBill, 'startDate'>,
  opts: { catalogue?: Catalogue; partner?: PartnerPricing } = {},
): ContractToBill {
  const q = computeQuote({ termMonths: 12, ...quoteInput }, opts.catalogue ?? SEED_CATALOGUE, opts.partner);
  return {
    contractId,
    plan: q.plan,
    serviceHours: q.serviceHours,
    options: quoteInput.options ?? [],
    prices: q.contractPrices,
    endDate: null,
    initialFeeInvoiced: false,
    ...over,
  };
}

function customer(customerId: string, contracts: ContractToBill[], over: Partial<CustomerToBill> = {}): CustomerToBill {
  return { customerId, name: `Customer ${customerId}`, partnerId: null, contracts, ...over };
}

function invoiceFor(period: string, c: CustomerToBill, over: Partial<BuildInvoiceInput> = {}): InvoiceDraft {
  return buildInvoice({ period, issuer, recipient: { kind: 'customer', customerId: c.customerId, name: c.name }, customers: [c], ...over });
}

const rows = (invoice: InvoiceDraft) => invoice.lines.map((l) => [l.lineKey, l.quantity, l.unitPrice, l.amount]);

function errorOf(fn: () => unknown): ContractsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ContractsError) return e;
    throw e;
  }
  throw new Error('expected a ContractsError');
}

const feAlert = { plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.ALWAYS, options: [OptionCode.LIVENESS_MONITORING] };

describe('the first and following invoices of a contract', () => {
  const c1 = contract('c1', feAlert, { startDate: '2026-11-16' });

  it('bills initial fees once and the first month pro rata from the start date', () => {
    const invoice = invoiceFor('2026-11', customer('k1', [c1]));
    expect(rows(invoice)).toEqual([
      ['c1:initial', 1, 150_000, 150_000],
      ['c1:option:LIVENESS_MONITORING:initial', 1, 100_000, 100_000],
      ['c1:2026-11:monthly', 1, 75_000, 75_000],
      ['c1:2026-11:option:LIVENESS_MONITORING:monthly', 1, 50_000, 50_000],
    ]);
    expect(invoice.lines[2]).toMatchObject({
      customerId: 'k1',
      contractId: 'c1',
      recurring: 'monthly',
      servicePeriod: { from: '2026-11-16', to: '2026-11-30' },
      proration: { billableDays: 15, daysInPeriod: 30, fullAmount: 150_000 },
      descriptionJa: 'FEアラート解析（24時間365日） 月額費用（2026-11-16〜2026-11-30 日割 15/30日）',
    });
    expect(invoice).toMatchObject({
      subtotal: 375_000,
      taxByRate: [{ rate: 10, taxable: 375_000, tax: 37_500 }],
      tax: 37_500,
      total: 412_500,
      closingDate: '2026-11-30',
      dueDate: '2026-12-31',
      initialFeesInvoicedFor: ['c1'],
    });
    expect(invoice.issuer).toEqual(issuer);
  });

  it('bills full months afterwards, without initial fees, due at the end of the next month across the year end', () => {
    const invoice = invoiceFor('2026-12', customer('k1', [{ ...c1, initialFeeInvoiced: true }]));
    expect(rows(invoice)).toEqual([
      ['c1:2026-12:monthly', 1, 150_000, 150_000],
      ['c1:2026-12:option:LIVENESS_MONITORING:monthly', 1, 100_000, 100_000],
    ]);
    expect(invoice.lines[0]).toMatchObject({ proration: null, description: 'FE Alert Analysis (24/365) - monthly fee (2026-12)' });
    expect(invoice).toMatchObject({ total: 275_000, dueDate: '2027-01-31', initialFeesInvoicedFor: [] });
  });

  it('bills the last month through the termination date', () => {
    const invoice = invoiceFor('2027-01', customer('k1', [{ ...c1, initialFeeInvoiced: true, endDate: '2027-01-10' }]));
    // 10 of 31 days, rounded down: 150,000 -> 48,387; 100,000 -> 32,258.
    expect(rows(invoice)).toEqual([
      ['c1:2027-01:monthly', 1, 48_387, 48_387],
      ['c1:2027-01:option:LIVENESS_MONITORING:monthly', 1, 32_258, 32_258],
    ]);
  });

  it('bills nothing before the start month or after the end month', () => {
    expect(invoiceFor('2026-10', customer('k1', [c1])).lines).toEqual([]);
    expect(invoiceFor('2027-02', customer('k1', [{ ...c1, initialFeeInvoiced: true, endDate: '2027-01-10' }])).lines).toEqual([]);
  });

  it('places a start given as an instant on its Tokyo date', () => {
    // 2026-11-16 00:30 JST = 2026-11-15 15:30 UTC.
    const invoice = invoiceFor('2026-11', customer('k1', [{ ...c1, initialFeeInvoiced: true, startDate: new Date('2026-11-15T15:30:00Z') }]));
    expect(invoice.lines[0].amount).toBe(75_000);
  });

  it('charges nothing for liveness monitoring included in FE security monitoring', () => {
    const c = contract('c2', { plan: PlanCode.FE_SECURITY_MONITORING, serviceHours: ServiceHours.ALWAYS, options: [OptionCode.LIVENESS_MONITORING] }, { startDate: '2026-11-01' });
    expect(rows(invoiceFor('2026-11', customer('k1', [c])))).toEqual([
      ['c2:initial', 1, 480_000, 480_000],
      ['c2:2026-11:monthly', 1, 480_000, 480_000],
    ]);
  });
});

describe('MDR', () => {
  const counts = [
    { date: '2026-10-31', count: 500 }, // October
    { date: '2026-11-01', count: 100 },
    { date: '2026-11-15', count: 130 },
    { date: '2026-11-30', count: 120 },
    { date: '2026-12-01', count: 900 }, // December
  ];

  it('bills the highest daily endpoint count of the month x the unit price', () => {
    const c = contract('m1', { plan: PlanCode.MDR, endpointCount: 100 }, { startDate: '2026-04-01', initialFeeInvoiced: true, endpointCounts: counts });
    const invoice = invoiceFor('2026-11', customer('k1', [c]));
    expect(rows(invoice)).toEqual([['m1:2026-11:endpoints', 130, 1_500, 195_000]]);
    expect(invoice.lines[0].descriptionJa).toBe('MDRサービス（24時間365日） 130台（月間最大日次台数）× 1500円（2026年11月分）');
    expect(invoice.total).toBe(214_500);
  });

  it('counts only days in service and prorates a partial month', () => {
    const c = contract('m1', { plan: PlanCode.MDR, endpointCount: 50 }, {
      startDate: '2026-11-16',
      endpointCounts: [
        { date: '2026-11-10', count: 999 }, // before the start (trial)
        { date: '2026-11-20', count: 40 },
      ],
    });
    const invoice = invoiceFor('2026-11', customer('k1', [c]));
    // 40 x 1,500 = 60,000 for a month, 15/30 of it.
    expect(rows(invoice)).toEqual([['m1:2026-11:endpoints', 1, 30_000, 30_000]]);
    expect(invoice.lines[0].proration).toEqual({ billableDays: 15, daysInPeriod: 30, fullAmount: 60_000 });
  });

  it('keeps the unit price of the contract', () => {
    const c = contract('m2', { plan: PlanCode.MDR, endpointCount: 10 }, { startDate: '2026-01-01', initialFeeInvoiced: true, endpointCounts: [{ date: '2026-11-03', count: 10 }] }, {
      partner: { kind: 'wholesale', plans: { MDR: { perEndpointMonthlyFee: 900 } } },
    });
    expect(rows(invoiceFor('2026-11', customer('k1', [c])))).toEqual([['m2:2026-11:endpoints', 10, 900, 9_000]]);
  });

  it('has no line in a month without endpoints, and needs the counts', () => {
    const c = contract('m1', { plan: PlanCode.MDR, endpointCount: 10 }, { startDate: '2026-01-01', initialFeeInvoiced: true, endpointCounts: [] });
    expect(invoiceFor('2026-11', customer('k1', [c])).lines).toEqual([]);
    const missing = errorOf(() => invoiceFor('2026-11', customer('k1', [{ ...c, endpointCounts: undefined }])));
    expect(missing).toMatchObject({ code: ContractsError.Code.BAD_INPUT, field: 'customers.0.contracts.0.endpointCounts' });
  });

  it('finds the peak within the given days and rejects bad counts', () => {
    expect(peakEndpointCount(counts, '2026-11-01', '2026-11-30')).toBe(130);
    expect(peakEndpointCount(counts, '2026-11-16', '2026-11-30')).toBe(120);
    expect(() => peakEndpointCount([{ date: '2026-11-01', count: -1 }], '2026-11-01', '2026-11-30')).toThrow(expect.objectContaining({ field: 'endpointCounts.0.count' }));
  });
});

describe('grandfathered prices', () => {
  it('keeps billing a contract at its prices after the catalogue raises them', () => {
    const raised: Catalogue = {
      plans: [...SEED_CATALOGUE.plans, { ...findPlan(SEED_CATALOGUE, PlanCode.FE_ALERT_ANALYSIS), version: 2, effectiveFrom: '2027-04-01', monthlyFee: 180_000 }],
      options: SEED_CATALOGUE.options,
    };
    const old = contract('c-old', { ...feAlert, options: [], quoteDate: '2027-03-01' }, { startDate: '2027-03-01', initialFeeInvoiced: true }, { catalogue: raised });
    const fresh = contract('c-new', { ...feAlert, options: [], quoteDate: '2027-04-15' }, { startDate: '2027-05-01', initialFeeInvoiced: true }, { catalogue: raised });
    expect(old.prices.planVersion).toBe(1);
    expect(rows(invoiceFor('2027-05', customer('k1', [old, fresh])))).toEqual([
      ['c-old:2027-05:monthly', 1, 150_000, 150_000],
      ['c-new:2027-05:monthly', 1, 180_000, 180_000],
    ]);
  });
});

describe('tax on invoices', () => {
  it('rounds once per invoice and rate, not per line', () => {
    const k = customer('k1', [], {
      customLines: [
        { id: 'x1', description: 'Incident response (hours)', quantity: 1, unitPrice: 1_005 },
        { id: 'x2', description: 'Report translation', quantity: 1, unitPrice: 1_005 },
      ],
    });
    const invoice = invoiceFor('2026-11', k);
    // Per line: floor(100.5) + floor(100.5) = 200. Per invoice: floor(201.0) = 201.
    expect(invoice).toMatchObject({ subtotal: 2_010, tax: 201, total: 2_211 });
    expect(invoiceFor('2026-11', customer('k1', [], { customLines: [k.customLines![0]] }), { taxRounding: 'round' }).tax).toBe(101);
    expect(invoiceFor('2026-11', customer('k1', [], { customLines: [k.customLines![0]] })).tax).toBe(100);
  });

  it('rounds prorated amounts down before the tax and the tax once', () => {
    const c = contract('c1', feAlert, { startDate: '2026-12-17', initialFeeInvoiced: true });
    const invoice = invoiceFor('2026-12', customer('k1', [c]));
    // 15/31: 150,000 -> 72,580 (72,580.6), 100,000 -> 48,387 (48,387.09); tax floor(12,096.7) = 12,096.
    expect(invoice.lines.map((l) => l.amount)).toEqual([72_580, 48_387]);
    expect(invoice).toMatchObject({ subtotal: 120_967, tax: 12_096, total: 133_063 });
  });

  it('keeps a reduced-rate custom line in its own bucket', () => {
    const invoice = invoiceFor('2026-11', customer('k1', [], { customLines: [{ id: 'r', description: 'Food at workshop', quantity: 1, unitPrice: 1_001, taxRate: 8 }] }));
    expect(invoice.taxByRate).toEqual([{ rate: 8, taxable: 1_001, tax: 80 }]);
  });
});

describe('partner invoices', () => {
  const partner = { kind: 'discount', basisPoints: 2_000 } as const;
  const a = customer('k-a', [contract('ca', feAlert, { startDate: '2026-10-01', initialFeeInvoiced: true }, { partner })], { name: 'Alpha Corp', partnerId: 'p1' });
  const b = customer('k-b', [contract('cb', { plan: PlanCode.FE_SECURITY_MONITORING }, { startDate: '2026-11-16' }, { partner })], { name: 'Beta Corp', partnerId: 'p1' });
  const input: BuildInvoiceInput = { period: '2026-11', issuer, recipient: { kind: 'partner', partnerId: 'p1', name: 'Reseller K.K.' }, customers: [b, a] };

  it('lists every customer its lines at the partner prices, customers in name order', () => {
    const invoice = buildInvoice(input);
    expect(invoice.lines.map((l) => [l.customerId, l.lineKey, l.amount])).toEqual([
      ['k-a', 'ca:2026-11:monthly', 120_000],
      ['k-a', 'ca:2026-11:option:LIVENESS_MONITORING:monthly', 80_000],
      ['k-b', 'cb:initial', 384_000],
      ['k-b', 'cb:2026-11:monthly', 192_000],
    ]);
    expect(invoice.customers).toEqual([
      { customerId: 'k-a', name: 'Alpha Corp', subtotal: 200_000 },
      { customerId: 'k-b', name: 'Beta Corp', subtotal: 576_000 },
    ]);
    expect(invoice).toMatchObject({ subtotal: 776_000, tax: 77_600, total: 853_600, initialFeesInvoicedFor: ['cb'] });
  });

  it('refuses another partner\'s customer on the invoice', () => {
    const other = { ...a, partnerId: 'p2' };
    expect(errorOf(() => buildInvoice({ ...input, customers: [b, other] }))).toMatchObject({ code: ContractsError.Code.BAD_INPUT, field: 'customers' });
  });

  it('is the same invoice, line keys and all, when run again or fed in another order', () => {
    const first = buildInvoice(input);
    const again = buildInvoice({ ...input, customers: [a, { ...b, contracts: [...b.contracts].reverse() }] });
    expect(again).toEqual(first);
    expect(new Set(first.lines.map((l) => l.lineKey)).size).toBe(first.lines.length);
  });
});

describe('agreed discounts and quoted lines', () => {
  it('applies the quote\'s percentage discount to each month, matching the quote', () => {
    const q = computeQuote({ ...feAlert, termMonths: 12, discount: { percent: 10 } }, SEED_CATALOGUE);
    const c = contract('c1', { ...feAlert, discount: { percent: 10 } }, { startDate: '2026-11-01', initialFeeInvoiced: true });
    const invoice = invoiceFor('2026-12', customer('k1', [c]));
    expect(rows(invoice)).toEqual([
      ['c1:2026-12:monthly', 1, 150_000, 150_000],
      ['c1:2026-12:option:LIVENESS_MONITORING:monthly', 1, 100_000, 100_000],
      ['c1:2026-12:discount:monthly:10', 1, -25_000, -25_000],
    ]);
    expect(invoice.subtotal).toBe(q.monthlyTotal);
  });

  it('bills the monthly lines sales entered for a quote-only plan, and the one-off ones once', () => {
    const c = contract(
      'i1',
      {
        plan: PlanCode.INTEGRATED_MANAGEMENT,
        customLines: [
          { description: 'SIEM operation', descriptionJa: 'SIEM運用', quantity: 1, unitPrice: 800_000, recurring: 'monthly' },
          { description: 'SIEM setup', quantity: 1, unitPrice: 1_200_000, recurring: 'initial' },
        ],
      },
      { startDate: '2026-11-16' },
    );
    expect(rows(invoiceFor('2026-11', customer('k1', [c])))).toEqual([
      ['i1:quoted:q2', 1, 1_200_000, 1_200_000],
      ['i1:2026-11:quoted:q1', 1, 400_000, 400_000],
    ]);
    expect(rows(invoiceFor('2026-12', customer('k1', [{ ...c, initialFeeInvoiced: true }])))).toEqual([['i1:2026-12:quoted:q1', 1, 800_000, 800_000]]);
  });
});

describe('invoice validation', () => {
  const c1 = contract('c1', feAlert, { startDate: '2026-11-01', initialFeeInvoiced: true });

  it('needs a valid registration number for the issuer', () => {
    const e = errorOf(() => invoiceFor('2026-11', customer('k1', [c1]), { issuer: { name: 'Kanshi', registrationNumber: 'T7123456789013' } }));
    expect(e).toMatchObject({ code: ContractsError.Code.BAD_INPUT, field: 'issuer.registrationNumber' });
    expect(e.message).toContain('check digit');
  });

  it('puts one customer on a direct customer\'s invoice', () => {
    const e = errorOf(() =>
      buildInvoice({ period: '2026-11', issuer, recipient: { kind: 'customer', customerId: 'k1', name: 'k1' }, customers: [customer('k1', [c1]), customer('k2', [])] }),
    );
    expect(e).toMatchObject({ field: 'customers' });
  });

  it('refuses a bad period, a contract ending before it starts, and an option without a price', () => {
    expect(errorOf(() => invoiceFor('2026-13', customer('k1', [c1])))).toMatchObject({ field: 'period' });
    expect(errorOf(() => invoiceFor('2026-11', customer('k1', [{ ...c1, endDate: '2026-10-31' }])))).toMatchObject({ field: 'customers.0.contracts.0.endDate' });
    expect(errorOf(() => invoiceFor('2026-11', customer('k1', [{ ...c1, serviceHours: 'NIGHTS' as ServiceHours }])))).toMatchObject({ field: 'customers.0.contracts.0.serviceHours' });
    expect(errorOf(() => invoiceFor('2026-11', customer('k1', [{ ...c1, prices: { ...c1.prices, options: {} } }])))).toMatchObject({
      field: 'customers.0.contracts.0.prices.options',
    });
  });

  it('refuses a negative invoice and lines that would be stored twice', () => {
    const credit = customer('k1', [c1], { customLines: [{ id: 'cr', description: 'Credit', quantity: 1, unitPrice: -300_000 }] });
    expect(errorOf(() => invoiceFor('2026-11', credit))).toMatchObject({ code: ContractsError.Code.CONFLICT });
    const twice = customer('k1', [], { customLines: [1, 2].map(() => ({ id: 'same', description: 'x', quantity: 1, unitPrice: 1 })) });
    expect(errorOf(() => invoiceFor('2026-11', twice))).toMatchObject({ code: ContractsError.Code.CONFLICT });
  });

  it('accepts a credit that leaves the invoice positive', () => {
    const credit = customer('k1', [c1], { customLines: [{ id: 'cr', description: 'SLA credit', descriptionJa: 'SLA返金', quantity: 1, unitPrice: -50_000 }] });
    expect(invoiceFor('2026-11', credit)).toMatchObject({ subtotal: 200_000, total: 220_000 });
  });
});
