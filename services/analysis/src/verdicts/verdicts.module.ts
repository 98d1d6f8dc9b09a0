import { Module, Provider } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { IocsModule } from '../iocs/iocs.module';
import { ReputationModule } from '../reputation/reputation.module';
import { ALERT_GROUPER } from './alert-grouper.port';
import { AlertsConsumer } from './alerts.consumer';
import { AnalysisService } from './analysis.service';
import { RuleEvaluationService } from '../rules/evaluation/rule-evaluation.service';
import { NoSuppressions } from './no-suppressions';
import { OneGroupPerAlert } from './one-group-per-alert';
import { RULE_ENGINE } from './rule-engine.port';
import { SUPPRESSIONS } from './suppression-matcher.port';
import { AlertVerdictResolver, VerdictsResolver } from './verdicts.resolver';
import { VerdictsRepository } from './verdicts.repository';
import { VerdictsService } from './verdicts.service';

// The pipeline's ports: the Sigma rule engine (RulesModule.forRoot, global), and stand-ins for the
// grouper and the suppression matcher until those modules land (one group per alert, nothing
// suppressed).
export const PLACEHOLDER_PORTS: Provider[] = [
  { provide: RULE_ENGINE, useExisting: RuleEvaluationService },
  { provide: ALERT_GROUPER, useClass: OneGroupPerAlert },
  { provide: SUPPRESSIONS, useClass: NoSuppressions },
];

@Module({
  imports: [IocsModule, ReputationModule, AssetsModule],
  providers: [...PLACEHOLDER_PORTS, VerdictsRepository, AnalysisService, VerdictsService, VerdictsResolver, AlertVerdictResolver, AlertsConsumer],
  exports: [AnalysisService],
})
export class VerdictsModule {}
