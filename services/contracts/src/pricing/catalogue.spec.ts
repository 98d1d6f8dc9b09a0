import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { ContractsError } from '../contracts.errors';
import {
  Catalogue,
  DEFAULT_MDR_UNIT_PRICE_JPY,
  findOption,
  findPlan,
  plansInForce,
  SEED_CATALOGUE,
  validateCatalogue,
} from './catalogue';

describe('seed catalogue', () => {
  it('lists the five plans with their reference prices and allowed hours', () => {
    const plans = plansInForce(SEED_CATALOGUE, '2026-11-01');
    expect(
      plans.map((p) => [p.code, p.serviceHours, p.pricing, p.initialFee, p.monthlyFee, p.perEndpointMonthlyFee]),
    ).toEqual([
      [PlanCode.FE_ALERT_ANALYSIS, [ServiceHours.BUSINESS_HOURS, ServiceHours.ALWAYS], 'fixed', 150_000, 150_000, null],
      [PlanCode.FE_SECURITY_MONITORING, [ServiceHours.ALWAYS], 'fixed', 480_000, 480_000, null],
      [PlanCode.MDR, [ServiceHours.ALWAYS], 'per_endpoint', null, null, DEFAULT_MDR_UNIT_PRICE_JPY],
      [PlanCode.INTEGRATED_MANAGEMENT, [ServiceHours.ALWAYS], 'quote_only', null, null, null],
      [PlanCode.SOC_DESIGN, [], 'quote_only', null, null, null],
    ]);
  });

  it('prices liveness monitoring at +100,000 initial and +100,000 monthly, included in security monitoring', () => {
    expect(findOption(SEED_CATALOGUE, OptionCode.LIVENESS_MONITORING)).toMatchObject({ initialFee: 100_000, monthlyFee: 100_000, nameJa: '死活監視・運用管理' });
    expect(findPlan(SEED_CATALOGUE, PlanCode.FE_ALERT_ANALYSIS).availableOptions).toEqual([OptionCode.LIVENESS_MONITORING]);
    expect(findPlan(SEED_CATALOGUE, PlanCode.FE_SECURITY_MONITORING).includedOptions).toEqual([OptionCode.LIVENESS_MONITORING]);
    expect(findPlan(SEED_CATALOGUE, PlanCode.MDR).availableOptions).toEqual([]);
  });

  it('names every plan in English and Japanese', () => {
    expect(findPlan(SEED_CATALOGUE, PlanCode.FE_ALERT_ANALYSIS)).toMatchObject({ name: 'FE Alert Analysis', nameJa: 'FEアラート解析' });
    for (const plan of SEED_CATALOGUE.plans) {
      expect(plan.name).toMatch(/\S/);
      expect(plan.nameJa).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
  });

  it('uses 1,500 JPY per endpoint and month as the default MDR price (a catalogue setting)', () => {
    expect(DEFAULT_MDR_UNIT_PRICE_JPY).toBe(1_500);
  });

  it('is dated from the terms in force (1.1, 2017-02-01), consistent, and cannot be changed in place', () => {
    expect(SEED_CATALOGUE.plans.every((p) => p.version === 1 && p.effectiveFrom === '2017-02-01')).toBe(true);
    expect(() => validateCatalogue(SEED_CATALOGUE)).not.toThrow();
    expect(Object.isFrozen(SEED_CATALOGUE.plans[0])).toBe(true);
    expect(() => {
      (SEED_CATALOGUE.plans[0] as { monthlyFee: number | null }).monthlyFee = 1;
    }).toThrow(TypeError);
  });
});

describe('catalogue versions', () => {
  const raised: Catalogue = {
    plans: [...SEED_CATALOGUE.plans, { ...findPlan(SEED_CATALOGUE, PlanCode.FE_ALERT_ANALYSIS), version: 2, effectiveFrom: '2027-04-01', monthlyFee: 180_000 }],
    options: SEED_CATALOGUE.options,
  };

  it('offers the entry in force on a date', () => {
    expect(findPlan(raised, PlanCode.FE_ALERT_ANALYSIS, '2027-03-31')).toMatchObject({ version: 1, monthlyFee: 150_000 });
    expect(findPlan(raised, PlanCode.FE_ALERT_ANALYSIS, '2027-04-01')).toMatchObject({ version: 2, monthlyFee: 180_000 });
    expect(findPlan(raised, PlanCode.FE_ALERT_ANALYSIS)).toMatchObject({ version: 2 });
    expect(plansInForce(raised, '2027-03-31').find((p) => p.code === PlanCode.FE_ALERT_ANALYSIS)?.monthlyFee).toBe(150_000);
  });

  it('does not offer a plan before its first entry takes effect', () => {
    expect(() => findPlan(raised, PlanCode.MDR, '2016-12-31')).toThrow(expect.objectContaining({ code: ContractsError.Code.BAD_INPUT, field: 'plan' }));
  });

  it('rejects duplicate versions, quote-only plans with prices and versions that go back in time', () => {
    const fe = findPlan(SEED_CATALOGUE, PlanCode.FE_ALERT_ANALYSIS);
    expect(() => validateCatalogue({ plans: [fe, fe], options: [] })).toThrow(/duplicate catalogue entry FE_ALERT_ANALYSIS@1/);
    expect(() =>
      validateCatalogue({ plans: [{ ...findPlan(SEED_CATALOGUE, PlanCode.SOC_DESIGN), monthlyFee: 1 }], options: [] }),
    ).toThrow(/quote-only plan has no list price/);
    expect(() => validateCatalogue({ plans: [fe, { ...fe, version: 2, effectiveFrom: '2016-01-01' }], options: [] })).toThrow(/takes effect before/);
  });
});
