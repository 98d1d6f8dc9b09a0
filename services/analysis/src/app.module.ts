import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { AlertGroupsModule } from './alert-groups/alert-groups.module';
import { AnalysisConfig } from './config';
import { IocIndicatorEntity } from './iocs/ioc-indicator.entity';
import { IocListEntity } from './iocs/ioc-list.entity';
import { IocsModule } from './iocs/iocs.module';
import { DetectionRuleEntity } from './rules/detection-rule.entity';
import { ReputationModule } from './reputation/reputation.module';
import { RulesModule } from './rules/rules.module';
import { SuppressionsModule } from './suppressions/suppressions.module';

export const ENTITIES = [DetectionRuleEntity, IocListEntity, IocIndicatorEntity];

@Module({})
export class AppModule {
  static forRoot(config: AnalysisConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'analysis', schema: 'analysis', config, entities: ENTITIES, publishes: ['ANALYSIS'], ...opts }),
        subgraphModule({ production: config.NODE_ENV === 'production' }),
        RulesModule,
        IocsModule,
        ReputationModule,
        AlertGroupsModule,
        SuppressionsModule,
      ],
    };
  }
}
