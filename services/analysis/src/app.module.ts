import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { AnalysisConfig } from './config';
import { DetectionRuleEntity } from './rules/detection-rule.entity';
import { RulesModule } from './rules/rules.module';

export const ENTITIES = [DetectionRuleEntity];

@Module({})
export class AppModule {
  static forRoot(config: AnalysisConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'analysis', schema: 'analysis', config, entities: ENTITIES, publishes: ['ANALYSIS'], ...opts }),
        subgraphModule({ production: config.NODE_ENV === 'production' }),
        RulesModule.forRoot({ applyPack: !opts.schemaOnly }),
      ],
    };
  }
}
