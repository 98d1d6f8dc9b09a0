import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { CorrelationRepository } from './correlation/correlation.repository';
import { RuleEvaluationService } from './evaluation/rule-evaluation.service';
import { RulePackService } from './pack/rule-pack.service';
import { RulesRepository } from './rules.repository';
import { RulesResolver } from './rules.resolver';
import { RulesService } from './rules.service';

const RULES_OPTIONS = Symbol('RULES_OPTIONS');

// Correlation window entries whose timespan has passed can never fire again: dropped hourly.
export const CorrelationPruneJob = defineJob('correlation-prune', { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 600, policy: 'stately' });

export interface RulesModuleOptions {
  /** Apply the shipped rule pack at boot (off when only the schema is printed). */
  applyPack: boolean;
}

@Module({})
export class RulesModule implements OnModuleInit {
  constructor(
    private readonly pack: RulePackService,
    private readonly evaluation: RuleEvaluationService,
    private readonly jobs: JobQueue,
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
    this.jobs.work(CorrelationPruneJob, async () => {
      await this.evaluation.pruneCorrelations();
    });
    this.jobs.every(CorrelationPruneJob, 3600_000);
  }
}
