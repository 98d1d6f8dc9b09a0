import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { authorize, Principal } from '@kanshi/auth';
import { CalendarDate, Clock, tokyoMidnight, toTokyoDate } from '@kanshi/calendar';
import { OptionCode, PlanCode } from '@kanshi/events';
import { ContractsError } from '../contracts.errors';
import { ContractsPermissions } from '../contracts.permissions';
import { Catalogue, CatalogueOption, CataloguePlan, validateCatalogue } from '../pricing/catalogue';
import { assertYen } from '../pricing/money';
import { CatalogueOptionEntity, PlanEntity } from './plan.entity';
import { CatalogueOptionObject, PlanObject } from './plan.object';
import { PlansRepository } from './plans.repository';
import { UpdateOptionInput, UpdatePlanInput } from './update-catalogue.input';

@Injectable()
export class CatalogueService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: PlansRepository,
    private readonly clock: Clock,
  ) {}

  // The whole versioned catalogue, as the pricing code reads it.
  async catalogue(em?: EntityManager): Promise<Catalogue> {
    const { plans, options } = await this.repo.all(em);
    return { plans: plans.map(toCataloguePlan), options: options.map(toCatalogueOption) };
  }

  async plans(asOf?: CalendarDate): Promise<PlanObject[]> {
    return (await this.repo.current(tokyoMidnight(asOf ?? this.clock.today()))).map(planView);
  }

  async options(asOf?: CalendarDate): Promise<CatalogueOptionObject[]> {
    return (await this.repo.currentOptions(tokyoMidnight(asOf ?? this.clock.today()))).map(optionView);
  }

  async planVersions(code: PlanCode): Promise<PlanObject[]> {
    return (await this.repo.versionsOf(code)).map(planView);
  }

  // A price change is a new version effective from a date: quotes made from then on use it,
  // contracts keep the prices they were sold at (grandfathering).
  async updatePlan(principal: Principal, input: UpdatePlanInput): Promise<PlanObject> {
    authorize(principal, ContractsPermissions.editCatalogue);
    const effectiveFrom = this.effectiveFrom(input.effectiveFrom);
    return this.ds.transaction(async (em) => {
      await this.repo.lockCatalogue(em);
      const { plans, options } = await this.repo.all(em);
      const latest = plans.filter((p) => p.code === input.code).at(-1);
      if (!latest) throw new ContractsError('BAD_INPUT', `unknown plan ${input.code}`, 'code');
      const fee = (field: 'initialFee' | 'monthlyFee' | 'perEndpointMonthlyFee'): number | null => {
        const value = input[field];
        if (value === undefined || value === null) return latest[field];
        if (latest[field] === null) throw new ContractsError('BAD_INPUT', `${latest.name} has no ${field} (${latest.quoteOnly ? 'it is quoted individually' : 'it is priced otherwise'})`, field);
        assertYen(value, field, { min: 0 });
        return value;
      };
      const next: PlanEntity = {
        ...latest,
        version: latest.version + 1,
        name: input.name ?? latest.name,
        nameJa: input.nameJa ?? latest.nameJa,
        initialFee: fee('initialFee'),
        monthlyFee: fee('monthlyFee'),
        perEndpointMonthlyFee: fee('perEndpointMonthlyFee'),
        effectiveFrom: tokyoMidnight(effectiveFrom),
        createdBy: principal.subject,
      };
      if (toTokyoDate(latest.effectiveFrom, 'effectiveFrom') > effectiveFrom) {
        throw new ContractsError('BAD_INPUT', `version ${latest.version} takes effect on ${toTokyoDate(latest.effectiveFrom, 'effectiveFrom')}; a new version cannot start before it`, 'effectiveFrom');
      }
      validateCatalogue({ plans: [...plans, next].map(toCataloguePlan), options: options.map(toCatalogueOption) });
      return planView(await this.repo.insertPlan(em, next));
    });
  }

  async updateOption(principal: Principal, input: UpdateOptionInput): Promise<CatalogueOptionObject> {
    authorize(principal, ContractsPermissions.editCatalogue);
    const effectiveFrom = this.effectiveFrom(input.effectiveFrom);
    return this.ds.transaction(async (em) => {
      await this.repo.lockCatalogue(em);
      const { plans, options } = await this.repo.all(em);
      const latest = options.filter((o) => o.code === input.code).at(-1);
      if (!latest) throw new ContractsError('BAD_INPUT', `unknown option ${input.code}`, 'code');
      for (const field of ['initialFee', 'monthlyFee'] as const) {
        if (input[field] !== undefined && input[field] !== null) assertYen(input[field], field, { min: 0 });
      }
      if (toTokyoDate(latest.effectiveFrom, 'effectiveFrom') > effectiveFrom) {
        throw new ContractsError('BAD_INPUT', `version ${latest.version} takes effect later; a new version cannot start before it`, 'effectiveFrom');
      }
      const next: CatalogueOptionEntity = {
        ...latest,
        version: latest.version + 1,
        initialFee: input.initialFee ?? latest.initialFee,
        monthlyFee: input.monthlyFee ?? latest.monthlyFee,
        effectiveFrom: tokyoMidnight(effectiveFrom),
        createdBy: principal.subject,
      };
      validateCatalogue({ plans: plans.map(toCataloguePlan), options: [...options, next].map(toCatalogueOption) });
      return optionView(await this.repo.insertOption(em, next));
    });
  }

  // Prices never change retroactively: a new version starts today at the earliest.
  private effectiveFrom(value: string | undefined): CalendarDate {
    const today = this.clock.today();
    if (value === undefined || value === null) return today;
    const date = toTokyoDate(value, 'effectiveFrom');
    if (date < today) throw new ContractsError('BAD_INPUT', `a price change cannot take effect in the past (${date} is before ${today})`, 'effectiveFrom');
    return date;
  }
}

export function toCataloguePlan(p: PlanEntity): CataloguePlan {
  return {
    code: p.code,
    version: p.version,
    effectiveFrom: toTokyoDate(p.effectiveFrom, 'effectiveFrom'),
    name: p.name,
    nameJa: p.nameJa,
    serviceHours: p.hoursAllowed,
    pricing: p.quoteOnly ? 'quote_only' : p.perEndpointMonthlyFee !== null ? 'per_endpoint' : 'fixed',
    initialFee: p.initialFee,
    monthlyFee: p.monthlyFee,
    perEndpointMonthlyFee: p.perEndpointMonthlyFee,
    availableOptions: p.availableOptions,
    includedOptions: p.livenessIncluded ? [OptionCode.LIVENESS_MONITORING] : [],
  };
}

export function toCatalogueOption(o: CatalogueOptionEntity): CatalogueOption {
  return {
    code: o.code,
    version: o.version,
    effectiveFrom: toTokyoDate(o.effectiveFrom, 'effectiveFrom'),
    name: o.name,
    nameJa: o.nameJa,
    initialFee: o.initialFee,
    monthlyFee: o.monthlyFee,
  };
}

function planView(p: PlanEntity): PlanObject {
  return {
    code: p.code,
    version: p.version,
    name: p.name,
    nameJa: p.nameJa,
    hoursAllowed: p.hoursAllowed,
    initialFee: p.initialFee,
    monthlyFee: p.monthlyFee,
    perEndpointMonthlyFee: p.perEndpointMonthlyFee,
    quoteOnly: p.quoteOnly,
    livenessIncluded: p.livenessIncluded,
    availableOptions: p.availableOptions,
    includedOptions: p.livenessIncluded ? [OptionCode.LIVENESS_MONITORING] : [],
    effectiveFrom: toTokyoDate(p.effectiveFrom, 'effectiveFrom'),
  };
}

function optionView(o: CatalogueOptionEntity): CatalogueOptionObject {
  return { code: o.code, version: o.version, name: o.name, nameJa: o.nameJa, initialFee: o.initialFee, monthlyFee: o.monthlyFee, effectiveFrom: toTokyoDate(o.effectiveFrom, 'effectiveFrom') };
}
