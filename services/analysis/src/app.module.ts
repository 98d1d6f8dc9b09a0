import { DynamicModule, Module } from '@nestjs/common';
import { ANALYSIS_CUSTOMER_DATA } from './customer-data.catalogue';
import { AlertRef } from '@kanshi/events';
import { PlatformModule, subgraphModule } from '@kanshi/platform';
import { AssetsModule } from './assets/assets.module';
import { AlertGroupsModule } from './alert-groups/alert-groups.module';
import { AnalysisConfig } from './config';
import { IocIndicatorEntity } from './iocs/ioc-indicator.entity';
import { IocListEntity } from './iocs/ioc-list.entity';
import { IocsModule } from './iocs/iocs.module';
import { DetectionRuleEntity } from './rules/detection-rule.entity';
import { ReputationModule } from './reputation/reputation.module';
import { RulesModule } from './rules/rules.module';
import { VerdictEntity } from './verdicts/verdict.entity';
import { VerdictsModule } from './verdicts/verdicts.module';
import { SuppressionsModule } from './suppressions/suppressions.module';

export const ENTITIES = [DetectionRuleEntity, IocListEntity, IocIndicatorEntity, VerdictEntity];

@Module({})
export class AppModule {
  static forRoot(config: AnalysisConfig, opts: { startMessaging?: boolean; schemaOnly?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'analysis', schema: 'analysis', config, entities: ENTITIES, publishes: ['ANALYSIS'], customerData: ANALYSIS_CUSTOMER_DATA, ...opts }),
        subgraphModule({ production: config.NODE_ENV === 'production', orphanedTypes: [AlertRef] }),
        RulesModule.forRoot({ applyPack: !opts.schemaOnly }),
        IocsModule,
        ReputationModule,
        AlertGroupsModule,
        SuppressionsModule,
        AssetsModule,
        // Alerts in, verdicts out: the pipeline over rules, IOCs, reputation, assets, groups and suppressions.
        VerdictsModule,
      ],
    };
  }
}
