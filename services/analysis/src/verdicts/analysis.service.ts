import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AlertReceivedBody, EventEnvelope, VerdictIssued, VerdictIssuedV2 } from '@kanshi/events';
import { Outbox, PermanentEventError } from '@kanshi/messaging';
import { counter, createLogger } from '@kanshi/observability';
import { AssetContextService } from '../assets/asset-context.service';
import { IocMatcher } from '../iocs/ioc-matcher';
import { ReputationService } from '../reputation/reputation.service';
import type { FileReputation } from '../reputation/virustotal.client';
import { AlertGrouper } from '../alert-groups/alert-grouper';
import { SuppressionMatcher } from '../suppressions/suppression-matcher';
import { SuppressionsService } from '../suppressions/suppressions.service';
import { categoriesOf, ecsString, endpointsOf, remainsOnEndpoint, sampleHashes } from './alert-facts';
import { decideSeverity } from './decide-severity';
import { ACTIONS, explainVerdict, manualTriageReason } from './explain-verdict';
import { RULE_ENGINE, RuleEngine, RuleLevel, RuleMatch } from './rule-engine.port';
import { StoredEndpoint } from './verdict.entity';
import { NewVerdict, VerdictsRepository } from './verdicts.repository';
import { verdictIssuedV1Body, verdictIssuedV2Body } from './verdict-events';

export type AlertEnvelope = EventEnvelope<AlertReceivedBody>;

export type AnalysisOutcome = 'VERDICT' | 'SUPPRESSED' | 'MANUAL_TRIAGE' | 'REPEAT' | 'DUPLICATE';

const outcomes = counter('kanshi_analysis_alerts_total', 'Alerts analysed, by outcome (verdict, suppressed, manual triage, repeat, duplicate)', ['outcome']);
// At most this many distinct sample hashes are looked up per alert (file before process, SHA-256 first).
const MAX_REPUTATION_LOOKUPS = 2;
const LEVEL_ORDER: Record<RuleLevel, number> = { critical: 4, high: 3, medium: 2, low: 1, informational: 0 };

// The analysis pipeline: for each alert, suppression, enrichment (IOC hits, sample reputation,
// asset context), rules, grouping, the severity decision, the verdict and its events, all in the
// caller's transaction. Takes a batch so a batched consumer can hand it many alerts at once.
@Injectable()
export class AnalysisService {
  private readonly log = createLogger('AnalysisService');

  constructor(
    private readonly repo: VerdictsRepository,
    private readonly outbox: Outbox,
    private readonly iocs: IocMatcher,
    private readonly reputation: ReputationService,
    private readonly assets: AssetContextService,
    @Inject(RULE_ENGINE) private readonly rules: RuleEngine,
    private readonly grouper: AlertGrouper,
    private readonly suppressionRules: SuppressionMatcher,
    private readonly suppressions: SuppressionsService,
  ) {}

  async analyse(tx: EntityManager, alerts: AlertEnvelope[]): Promise<AnalysisOutcome[]> {
    const out: AnalysisOutcome[] = [];
    for (const alert of alerts) {
      const outcome = await this.analyseOne(tx, alert);
      outcomes.inc({ outcome });
      out.push(outcome);
    }
    return out;
  }

  private async analyseOne(tx: EntityManager, alert: AlertEnvelope): Promise<AnalysisOutcome> {
    const a = alert.body;
    // Every alert belongs to a customer; one without can never be analysed (dead-lettered).
    if (!alert.customerId) throw new PermanentEventError(`alert ${a.alertId} names no customer`);
    const existing = await this.repo.findByAlert(tx, a.alertId);
    if (existing) {
      // The same vendor alert again (or a redelivery): the count only, never a second verdict.
      await this.repo.raiseRepeatCount(tx, a.alertId, a.repeatCount);
      return a.repeatCount > existing.repeatCount ? 'REPEAT' : 'DUPLICATE';
    }
    await this.repo.savepoint(tx);
    try {
      const outcome = await this.decide(tx, alert);
      if (outcome === 'DUPLICATE') {
        await this.repo.rollbackToSavepoint(tx);
        await this.repo.raiseRepeatCount(tx, a.alertId, a.repeatCount);
      }
      await this.repo.releaseSavepoint(tx);
      return outcome;
    } catch (err) {
      // No alert disappears: whatever failed, the alert gets a verdict an analyst triages.
      await this.repo.rollbackToSavepoint(tx);
      this.log.warn({ err, alertId: a.alertId }, 'alert analysis failed; verdict marked for manual triage');
      await this.manualTriage(tx, alert, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      return 'MANUAL_TRIAGE';
    }
  }

  private async decide(tx: EntityManager, alert: AlertEnvelope): Promise<AnalysisOutcome> {
    const a = alert.body;
    const customerId = alert.customerId!;
    const occurredAt = new Date(a.occurredAt);
    const decidedAt = new Date();
    const endpoints = endpointsOf(a.product, a.ecs);

    const suppression = await this.suppressionRules.match(customerId, { product: a.product, ruleName: a.ruleName, ecs: a.ecs }, occurredAt);
    if (suppression) {
      const stored = await this.repo.insert(tx, this.row(alert, { severity: 'LOW', reasons: [], actions: [], isolationRecommended: false, endpoints: endpoints.map(plainEndpoint), groupId: null, signature: a.ruleName, suppressedBy: suppression.id, decidedAt }));
      if (!stored) return 'DUPLICATE';
      await this.suppressions.recordHit(tx, suppression.id, a.alertId, customerId, occurredAt);
      return 'SUPPRESSED';
    }

    const hashes = sampleHashes(a.ecs);
    const [iocHits, reputations] = await Promise.all([
      this.iocs.match(customerId, a.ecs, occurredAt),
      Promise.all(hashes.slice(0, MAX_REPUTATION_LOOKUPS).map((h) => this.reputation.lookup(h))).then((r) => r.filter((x): x is FileReputation => x !== null)),
    ]);
    await this.assets.learn(tx, customerId, endpoints, occurredAt);
    const context = await this.assets.contextOf(customerId, endpoints);

    const evaluation = await this.rules.evaluate(tx, { customerId, product: a.product, ecs: a.ecs, at: occurredAt });
    const matches = [...evaluation.matches].sort((x, y) => LEVEL_ORDER[y.level] - LEVEL_ORDER[x.level]);

    const onEndpoint = remainsOnEndpoint(a.ecs);
    const decision = decideSeverity({
      blocked: a.blocked,
      rules: matches,
      iocConfidences: iocHits.map((h) => h.confidence),
      reputationMalicious: reputations.length ? Math.max(...reputations.map((r) => r.malicious)) : null,
      remainsOnEndpoint: onEndpoint,
      vendorScore: a.severity,
      criticalAsset: context.critical.length > 0,
    });
    const explanation = explainVerdict({
      decision,
      blocked: a.blocked,
      remainsOnEndpoint: onEndpoint,
      rules: matches,
      iocHits,
      reputations,
      endpoints: context.endpoints,
      criticalAssets: context.critical,
      hasUser: ecsString(a.ecs, 'user.name') !== null,
      sampleHashes: hashes,
    });

    const hostName = context.endpoints[0]?.hostName ?? null;
    const group = await this.grouper.assign(tx, {
      alertId: a.alertId,
      customerId,
      sensorId: a.sensorId,
      product: a.product,
      ruleKey: matches[0]?.ruleId ?? a.ruleName,
      vendorGroupKey: a.groupKey,
      hostName,
      hostIp: context.endpoints[0]?.ip ?? null,
      iocValues: [...new Set(iocHits.map((h) => h.value))],
      occurredAt,
    });
    await this.grouper.raiseSeverity(tx, group.groupId, decision.severity);

    const row = this.row(alert, { severity: decision.severity, ...explanation, endpoints: context.endpoints, groupId: group.groupId, signature: signatureOf(matches, a.ruleName), suppressedBy: null, decidedAt });
    if (!(await this.repo.insert(tx, row))) return 'DUPLICATE';
    await this.publish(tx, row);
    return 'VERDICT';
  }

  private async manualTriage(tx: EntityManager, alert: AlertEnvelope, error: string): Promise<void> {
    const a = alert.body;
    let endpoints: StoredEndpoint[] = [];
    try {
      endpoints = endpointsOf(a.product, a.ecs).map(plainEndpoint);
    } catch {
      // an ECS document this odd gives no endpoints; the verdict still goes out
    }
    const row = this.row(alert, {
      severity: 'MEDIUM',
      reasons: [manualTriageReason(error)],
      actions: [ACTIONS.manualTriage],
      isolationRecommended: false,
      endpoints,
      groupId: null,
      signature: a.ruleName,
      suppressedBy: null,
      decidedAt: new Date(),
    });
    if (await this.repo.insert(tx, row)) await this.publish(tx, row);
  }

  private row(
    alert: AlertEnvelope,
    v: Pick<NewVerdict, 'severity' | 'reasons' | 'actions' | 'isolationRecommended' | 'endpoints' | 'groupId' | 'signature' | 'suppressedBy' | 'decidedAt'>,
  ): NewVerdict {
    const a = alert.body;
    let category: string[] = [];
    try {
      category = categoriesOf(a.ecs);
    } catch {
      // an odd ECS document: no category
    }
    return { id: randomUUID(), alertId: a.alertId, customerId: alert.customerId!, sensorId: a.sensorId, product: a.product, automaticSeverity: v.severity, blocked: a.blocked, repeatCount: a.repeatCount, category, ...v };
  }

  // v1 beside v2 (STYLE.md's event versioning) until every consumer reads v2.
  private async publish(tx: EntityManager, v: NewVerdict): Promise<void> {
    const opts = { customerId: v.customerId, occurredAt: v.decidedAt };
    await this.outbox.add(tx, VerdictIssued, verdictIssuedV1Body(v), opts);
    await this.outbox.add(tx, VerdictIssuedV2, verdictIssuedV2Body({ ...v, overrideSeverity: null, overrideRationale: null, overrideBy: null, overrideAt: null }), opts);
  }
}

function plainEndpoint(e: { hostName: string | null; ip: string | null }): StoredEndpoint {
  return { hostName: e.hostName, ip: e.ip };
}

function signatureOf(matches: RuleMatch[], ruleName: string | null): string | null {
  return matches[0]?.title ?? ruleName;
}
