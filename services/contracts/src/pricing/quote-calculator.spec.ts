import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { ContractsError } from '../contracts.errors';
import { Catalogue, findPlan, SEED_CATALOGUE } from './catalogue';
import { PartnerPricing } from './contract-prices';
import { computeQuote, QuoteInput } from './quote-calculator';

const quote = (input: Partial<QuoteInput> & Pick<QuoteInput, 'plan'>, partner?: PartnerPricing, catalogue: Catalogue = SEED_CATALOGUE) =>
  computeQuote({ termMonths: 12, ...input }, catalogue, partner);

function badInputField(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ContractsError && e.code === ContractsError.Code.BAD_INPUT) return e.field;
    throw e;
  }
  throw new Error('expected a BAD_INPUT error');
}

const summary = (q: ReturnType<typeof computeQuote>) => q.lines.map((l) => [l.code, l.quantity, l.unitPrice, l.amount, l.recurring]);

describe('quotes for catalogue plans', () => {
  it('prices FE alert analysis at 150,000 initial and 150,000 a month', () => {
    const q = quote({ plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.BUSINESS_HOURS });
    expect(summary(q)).toEqual([
      ['FE_ALERT_ANALYSIS:INITIAL', 1, 150_000, 150_000, 'initial'],
      ['FE_ALERT_ANALYSIS:MONTHLY', 12, 150_000, 1_800_000, 'monthly'],
    ]);
    expect(q).toMatchObject({
      subtotal: 1_950_000,
      taxByRate: [{ rate: 10, taxable: 1_950_000, tax: 195_000 }],
      tax: 195_000,
      total: 2_145_000,
      oneTimeTotal: 150_000,
      monthlyTotal: 150_000,
      planVersion: 1,
    });
    expect(q.lines[0].descriptionJa).toBe('FEアラート解析（平日9:00〜17:30） 初期費用');
    expect(q.lines[1].description).toBe('FE Alert Analysis (weekdays 9:00-17:30) - monthly fee x 12 months');
  });

  it('adds 100,000 initial and 100,000 a month for liveness monitoring', () => {
    const q = quote({ plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.ALWAYS, options: [OptionCode.LIVENESS_MONITORING] });
    expect(summary(q).slice(2)).toEqual([
      ['LIVENESS_MONITORING:INITIAL', 1, 100_000, 100_000, 'initial'],
      ['LIVENESS_MONITORING:MONTHLY', 12, 100_000, 1_200_000, 'monthly'],
    ]);
    expect(q).toMatchObject({ oneTimeTotal: 250_000, monthlyTotal: 250_000, subtotal: 3_250_000 });
    expect(q.contractPrices.options).toEqual({ LIVENESS_MONITORING: { included: false, initialFee: 100_000, monthlyFee: 100_000 } });
  });

  it('prices FE security monitoring at 480,000 / 480,000 with liveness monitoring included for nothing', () => {
    const without = quote({ plan: PlanCode.FE_SECURITY_MONITORING, serviceHours: ServiceHours.ALWAYS });
    const withOption = quote({ plan: PlanCode.FE_SECURITY_MONITORING, serviceHours: ServiceHours.ALWAYS, options: [OptionCode.LIVENESS_MONITORING] });
    expect(summary(without)).toEqual([
      ['FE_SECURITY_MONITORING:INITIAL', 1, 480_000, 480_000, 'initial'],
      ['FE_SECURITY_MONITORING:MONTHLY', 12, 480_000, 5_760_000, 'monthly'],
    ]);
    expect(withOption.total).toBe(without.total);
    expect(withOption.lines.find((l) => l.code === 'LIVENESS_MONITORING:INCLUDED')).toMatchObject({ amount: 0, descriptionJa: '死活監視・運用管理（プランに含む）' });
    expect(withOption.contractPrices.options.LIVENESS_MONITORING).toEqual({ included: true, initialFee: 0, monthlyFee: 0 });
  });

  it('defaults the hours of 24/365-only plans and requires a choice for FE alert analysis', () => {
    expect(quote({ plan: PlanCode.FE_SECURITY_MONITORING }).serviceHours).toBe(ServiceHours.ALWAYS);
    expect(badInputField(() => quote({ plan: PlanCode.FE_ALERT_ANALYSIS }))).toBe('serviceHours');
  });

  it.each([PlanCode.FE_SECURITY_MONITORING, PlanCode.MDR, PlanCode.INTEGRATED_MANAGEMENT])(
    'rejects business hours on the 24/365-only plan %s, naming serviceHours',
    (plan) => {
      const input = { plan, serviceHours: ServiceHours.BUSINESS_HOURS, endpointCount: plan === PlanCode.MDR ? 10 : undefined, customLines: [{ description: 'SIEM', quantity: 1, unitPrice: 1 }] };
      expect(badInputField(() => quote(input))).toBe('serviceHours');
    },
  );

  it('says which hours a plan is offered in', () => {
    expect(() => quote({ plan: PlanCode.FE_SECURITY_MONITORING, serviceHours: ServiceHours.BUSINESS_HOURS })).toThrow('offered 24/365 only');
  });

  it('rejects an unknown plan, naming plan', () => {
    expect(badInputField(() => quote({ plan: 'FIREWALL' as PlanCode }))).toBe('plan');
  });

  it('rejects unknown, repeated or unavailable options, naming options', () => {
    expect(badInputField(() => quote({ plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.ALWAYS, options: ['COFFEE' as OptionCode] }))).toBe('options');
    expect(
      badInputField(() =>
        quote({ plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.ALWAYS, options: [OptionCode.LIVENESS_MONITORING, OptionCode.LIVENESS_MONITORING] }),
      ),
    ).toBe('options');
    expect(badInputField(() => quote({ plan: PlanCode.MDR, endpointCount: 5, options: [OptionCode.LIVENESS_MONITORING] }))).toBe('options');
  });

  it.each([0, 121, 1.5])('rejects a term of %p months', (termMonths) => {
    expect(badInputField(() => quote({ plan: PlanCode.FE_SECURITY_MONITORING, termMonths }))).toBe('termMonths');
  });
});

describe('MDR quotes', () => {
  it('charges endpoints x the per-endpoint price every month', () => {
    const q = quote({ plan: PlanCode.MDR, endpointCount: 120 });
    expect(summary(q)).toEqual([['MDR:ENDPOINT_MONTHLY', 1_440, 1_500, 2_160_000, 'monthly']]);
    expect(q).toMatchObject({ monthlyTotal: 180_000, oneTimeTotal: 0, tax: 216_000, total: 2_376_000 });
    expect(q.lines[0].descriptionJa).toBe('MDRサービス（24時間365日） 120台 × 12ヶ月');
    expect(q.contractPrices).toMatchObject({ initialFee: 0, monthlyFee: 0, perEndpointMonthlyFee: 1_500 });
  });

  it('takes the codes as plain strings, as events and GraphQL inputs carry them', () => {
    const q = computeQuote({ plan: 'MDR', serviceHours: 'ALWAYS', options: [], endpointCount: 2, termMonths: 1 }, SEED_CATALOGUE);
    expect(q).toMatchObject({ plan: PlanCode.MDR, subtotal: 3_000 });
  });

  it.each([undefined, null, -1, 0, 2.5])('rejects endpointCount %p', (endpointCount) => {
    expect(badInputField(() => quote({ plan: PlanCode.MDR, endpointCount }))).toBe('endpointCount');
  });

  it('rejects an endpoint count on a plan not priced per endpoint', () => {
    expect(badInputField(() => quote({ plan: PlanCode.FE_SECURITY_MONITORING, endpointCount: 50 }))).toBe('endpointCount');
  });
});

describe('quote-only plans', () => {
  it('requires sales to enter the lines', () => {
    expect(badInputField(() => quote({ plan: PlanCode.INTEGRATED_MANAGEMENT }))).toBe('customLines');
    expect(badInputField(() => quote({ plan: PlanCode.SOC_DESIGN, customLines: [] }))).toBe('customLines');
  });

  it('bills the entered monthly lines over the term and one-off lines once, and keeps them for the contract', () => {
    const q = quote({
      plan: PlanCode.INTEGRATED_MANAGEMENT,
      termMonths: 24,
      customLines: [
        { description: 'SIEM operation', descriptionJa: 'SIEM運用', quantity: 1, unitPrice: 800_000, recurring: 'monthly' },
        { description: 'SIEM setup', quantity: 1, unitPrice: 1_200_000, recurring: 'initial' },
        { description: 'Log source onboarding', quantity: 3, unitPrice: 50_000 },
      ],
    });
    expect(summary(q)).toEqual([
      ['CUSTOM', 24, 800_000, 19_200_000, 'monthly'],
      ['CUSTOM', 1, 1_200_000, 1_200_000, 'initial'],
      ['CUSTOM', 3, 50_000, 150_000, 'one_off'],
    ]);
    expect(q.lines[0].descriptionJa).toBe('SIEM運用 × 24ヶ月');
    expect(q).toMatchObject({ monthlyTotal: 800_000, oneTimeTotal: 1_350_000, subtotal: 20_550_000 });
    expect(q.contractPrices.quotedLines.map((l) => [l.key, l.quantity, l.unitPrice, l.recurring])).toEqual([
      ['q1', 1, 800_000, 'monthly'],
      ['q2', 1, 1_200_000, 'initial'],
      ['q3', 3, 50_000, 'one_off'],
    ]);
  });

  it('quotes SOC design without service hours and refuses hours for it', () => {
    const q = quote({ plan: PlanCode.SOC_DESIGN, termMonths: 1, customLines: [{ description: 'SOC assessment', quantity: 10, unitPrice: 200_000 }] });
    expect(q).toMatchObject({ serviceHours: null, subtotal: 2_000_000, total: 2_200_000 });
    expect(badInputField(() => quote({ plan: PlanCode.SOC_DESIGN, serviceHours: ServiceHours.ALWAYS, customLines: [{ description: 'x', quantity: 1, unitPrice: 1 }] }))).toBe('serviceHours');
  });

  it('accepts extra lines on catalogue plans and validates every line', () => {
    const q = quote({ plan: PlanCode.FE_SECURITY_MONITORING, customLines: [{ description: 'On-site sensor installation', quantity: 2, unitPrice: 80_000 }] });
    expect(q.subtotal).toBe(480_000 + 5_760_000 + 160_000);
    for (const bad of [
      { description: '', quantity: 1, unitPrice: 1 },
      { description: 'x', quantity: 0, unitPrice: 1 },
      { description: 'x', quantity: 1, unitPrice: -5 },
      { description: 'x', quantity: 1, unitPrice: 10.5 },
      { description: 'x', quantity: 1, unitPrice: 1, taxRate: 7.5 },
    ]) {
      expect(badInputField(() => quote({ plan: PlanCode.SOC_DESIGN, customLines: [bad] }))).toBe('customLines');
    }
  });
});

describe('discounts', () => {
  const base = { plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.ALWAYS, options: [OptionCode.LIVENESS_MONITORING] };

  it('takes a percentage off as negative lines, per month for monthly fees', () => {
    const q = quote({ ...base, discount: { percent: 10 } });
    expect(summary(q).slice(4)).toEqual([
      ['DISCOUNT', 1, -25_000, -25_000, 'one_off'],
      ['DISCOUNT', 12, -25_000, -300_000, 'monthly'],
    ]);
    expect(q).toMatchObject({ oneTimeTotal: 225_000, monthlyTotal: 225_000, subtotal: 2_925_000, tax: 292_500 });
    expect(q.contractPrices.discountBasisPoints).toBe(1_000);
    expect(q.lines[4].descriptionJa).toBe('値引き 10%（初期・一時費用）');
  });

  it('accepts a percentage with two decimals and rounds the discount down to the yen', () => {
    const q = quote({ plan: PlanCode.SOC_DESIGN, customLines: [{ description: 'x', quantity: 1, unitPrice: 1_999 }], discount: { percent: 12.5 } });
    // 12.5% of 1,999 = 249.875 -> 249.
    expect(q.lines[1]).toMatchObject({ amount: -249, description: 'Discount 12.5% on one-time items' });
    expect(badInputField(() => quote({ ...base, discount: { percent: 0.001 } }))).toBe('discount.percent');
    expect(badInputField(() => quote({ ...base, discount: { percent: 101 } }))).toBe('discount.percent');
  });

  it('takes an amount off once and refuses more than the quote is worth', () => {
    const q = quote({ ...base, discount: { amount: 50_000 } });
    expect(q.lines.at(-1)).toMatchObject({ code: 'DISCOUNT', quantity: 1, unitPrice: -50_000, amount: -50_000, recurring: 'one_off', taxRate: 10 });
    expect(q.subtotal).toBe(3_200_000);
    expect(q.contractPrices.quotedLines).toEqual([expect.objectContaining({ key: 'discount', unitPrice: -50_000, recurring: 'one_off' })]);
    expect(badInputField(() => quote({ ...base, discount: { amount: 3_250_001 } }))).toBe('discount');
    expect(badInputField(() => quote({ ...base, discount: { amount: 0 } }))).toBe('discount.amount');
    expect(badInputField(() => quote({ ...base, discount: { amount: 1, percent: 1 } as never }))).toBe('discount');
    // A GraphQL input may send the unused member as null.
    expect(quote({ ...base, discount: { percent: 10, amount: null } as never }).subtotal).toBe(2_925_000);
  });
});

describe('partner pricing', () => {
  it('applies a partner discount rate to the catalogue prices', () => {
    const q = quote({ plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.ALWAYS, options: [OptionCode.LIVENESS_MONITORING] }, { kind: 'discount', basisPoints: 1_500 });
    expect(q.lines.map((l) => l.unitPrice)).toEqual([127_500, 127_500, 85_000, 85_000]);
    expect(q.contractPrices).toMatchObject({ initialFee: 127_500, monthlyFee: 127_500, options: { LIVENESS_MONITORING: { initialFee: 85_000, monthlyFee: 85_000 } } });
    expect(quote({ plan: PlanCode.MDR, endpointCount: 10 }, { kind: 'discount', basisPoints: 1_500 }).lines[0].unitPrice).toBe(1_275);
  });

  it('uses wholesale prices where the partner has them and catalogue prices elsewhere', () => {
    const partner: PartnerPricing = { kind: 'wholesale', plans: { FE_ALERT_ANALYSIS: { initialFee: 100_000, monthlyFee: 120_000 }, MDR: { perEndpointMonthlyFee: 1_000 } } };
    expect(quote({ plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.ALWAYS }, partner).lines.map((l) => l.unitPrice)).toEqual([100_000, 120_000]);
    expect(quote({ plan: PlanCode.MDR, endpointCount: 10 }, partner).monthlyTotal).toBe(10_000);
    expect(quote({ plan: PlanCode.FE_SECURITY_MONITORING }, partner).lines.map((l) => l.unitPrice)).toEqual([480_000, 480_000]);
  });

  it('does not discount the individual prices of quote-only plans', () => {
    const q = quote({ plan: PlanCode.SOC_DESIGN, customLines: [{ description: 'x', quantity: 1, unitPrice: 300_000 }] }, { kind: 'discount', basisPoints: 2_000 });
    expect(q.subtotal).toBe(300_000);
  });

  it('rejects partner terms that do not fit', () => {
    expect(badInputField(() => quote({ plan: PlanCode.FE_SECURITY_MONITORING }, { kind: 'discount', basisPoints: 12.5 }))).toBe('partnerPricing.basisPoints');
    expect(badInputField(() => quote({ plan: PlanCode.FE_SECURITY_MONITORING }, { kind: 'wholesale', plans: { FE_SECURITY_MONITORING: { perEndpointMonthlyFee: 1 } } }))).toBe('partnerPricing');
    expect(badInputField(() => quote({ plan: PlanCode.FE_SECURITY_MONITORING }, { kind: 'wholesale', plans: { FE_SECURITY_MONITORING: { monthlyFee: -1 } } }))).toBe(
      'partnerPricing.plans.FE_SECURITY_MONITORING.monthlyFee',
    );
  });
});

describe('catalogue changes', () => {
  const raised: Catalogue = {
    plans: [...SEED_CATALOGUE.plans, { ...findPlan(SEED_CATALOGUE, PlanCode.FE_ALERT_ANALYSIS), version: 2, effectiveFrom: '2027-04-01', initialFee: 200_000, monthlyFee: 180_000 }],
    options: SEED_CATALOGUE.options,
  };
  const input = { plan: PlanCode.FE_ALERT_ANALYSIS, serviceHours: ServiceHours.ALWAYS };

  it('price new quotes from the date they take effect (on the Tokyo date)', () => {
    expect(quote({ ...input, quoteDate: '2027-03-31' }, undefined, raised)).toMatchObject({ planVersion: 1, monthlyTotal: 150_000 });
    expect(quote({ ...input, quoteDate: '2027-04-01' }, undefined, raised)).toMatchObject({ planVersion: 2, monthlyTotal: 180_000, oneTimeTotal: 200_000 });
    // 2027-04-01 00:30 JST is still March 31st in UTC.
    expect(quote({ ...input, quoteDate: new Date('2027-03-31T15:30:00Z') }, undefined, raised).planVersion).toBe(2);
  });
});

describe('tax on quotes', () => {
  it('rounds the tax once over the quote, with a configurable mode', () => {
    const lines = [
      { description: 'a', quantity: 1, unitPrice: 1_005 },
      { description: 'b', quantity: 1, unitPrice: 1_005 },
    ];
    const input: QuoteInput = { plan: PlanCode.SOC_DESIGN, termMonths: 1, customLines: lines };
    expect(computeQuote(input, SEED_CATALOGUE).tax).toBe(201);
    expect(computeQuote({ ...input, customLines: [lines[0]] }, SEED_CATALOGUE).tax).toBe(100);
    expect(computeQuote({ ...input, customLines: [lines[0]] }, SEED_CATALOGUE, null, { taxRounding: 'round' }).tax).toBe(101);
    expect(computeQuote({ ...input, customLines: [{ description: 'c', quantity: 1, unitPrice: 1_001 }] }, SEED_CATALOGUE, null, { taxRounding: 'ceil' }).tax).toBe(101);
  });

  it('keeps reduced-rate lines in their own tax bucket', () => {
    const q = computeQuote(
      { plan: PlanCode.SOC_DESIGN, termMonths: 1, customLines: [{ description: 'work', quantity: 1, unitPrice: 100_000 }, { description: 'catering', quantity: 1, unitPrice: 10_001, taxRate: 8 }] },
      SEED_CATALOGUE,
    );
    expect(q.taxByRate).toEqual([
      { rate: 10, taxable: 100_000, tax: 10_000 },
      { rate: 8, taxable: 10_001, tax: 800 },
    ]);
    expect(q.total).toBe(120_801);
  });
});
