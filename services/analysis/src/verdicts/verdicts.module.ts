import { Module, Provider } from '@nestjs/common';
import { AlertGroupsModule } from '../alert-groups/alert-groups.module';
import { AssetsModule } from '../assets/assets.module';
import { SuppressionsModule } from '../suppressions/suppressions.module';
import { IocsModule } from '../iocs/iocs.module';
import { ReputationModule } from '../reputation/reputation.module';
import { AlertsConsumer } from './alerts.consumer';
import { AnalysisService } from './analysis.service';
import { RuleEvaluationService } from '../rules/evaluation/rule-evaluation.service';
import { RULE_ENGINE } from './rule-engine.port';
import { AlertVerdictResolver, VerdictsResolver } from './verdicts.resolver';
import { VerdictsRepository } from './verdicts.repository';
import { VerdictsService } from './verdicts.service';

// The rule engine is the rules module's (RulesModule.forRoot is global).
const RULE_ENGINE_PROVIDER: Provider = { provide: RULE_ENGINE, useExisting: RuleEvaluationService };

@Module({
  imports: [IocsModule, ReputationModule, AssetsModule, AlertGroupsModule, SuppressionsModule],
  providers: [RULE_ENGINE_PROVIDER, VerdictsRepository, AnalysisService, VerdictsService, VerdictsResolver, AlertVerdictResolver, AlertsConsumer],
  exports: [AnalysisService],
})
export class VerdictsModule {}
