import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { CorrelationRepository } from './correlation/correlation.repository';
import { RuleEvaluationService } from './evaluation/rule-evaluation.service';
import { RulePackService } from './pack/rule-pack.service';
import { RulesRepository } from './rules.repository';
import { RulesResolver } from './rules.resolver';
import { RulesService } from './rules.service';

const RULES_OPTIONS = Symbol('RULES_OPTIONS');

export interface RulesModuleOptions {
  /** Apply the shipped rule pack at boot (off when only the schema is printed). */
  applyPack: boolean;
}

@Module({})
export class RulesModule implements OnModuleInit {
  constructor(
    private readonly pack: RulePackService,
    @Inject(RULES_OPTIONS) private readonly opts: RulesModuleOptions,
  ) {}

  static forRoot(opts: RulesModuleOptions): DynamicModule {
    return {
      module: RulesModule,
      // Global: the verdict pipeline's RULE_ENGINE port is this module's RuleEvaluationService.
      global: true,
      providers: [{ provide: RULES_OPTIONS, useValue: opts }, RulesRepository, CorrelationRepository, RulesService, RulesResolver, RulePackService, RuleEvaluationService],
      exports: [RuleEvaluationService],
    };
  }

  // At module init, before the platform starts the consumers (application bootstrap): the first
  // alerts after a start or an upgrade are judged by the pack, not by the rules before it.
  async onModuleInit(): Promise<void> {
    if (this.opts.applyPack) await this.pack.sync();
  }
}
