import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AlertReceivedBody, EventEnvelope, SOC_SEVERITIES, SocSeverity, VerdictIssuedV2 } from '@kanshi/events';
import { Outbox, PermanentEventError } from '@kanshi/messaging';
import { counter, createLogger } from '@kanshi/observability';
import { AssetContextService } from '../assets/asset-context.service';
import { IocMatcher } from '../iocs/ioc-matcher';
import { ReputationService } from '../reputation/reputation.service';
import type { FileReputation } from '../reputation/virustotal.client';
import { AlertGrouper } from '../alert-groups/alert-grouper';
import type { AlertGroupInput } from '../alert-groups/alert-grouping';
import { SuppressionMatcher } from '../suppressions/suppression-matcher';
import { SuppressionsService } from '../suppressions/suppressions.service';
import { categoriesOf, ecsString, endpointsOf, remainsOnEndpoint, sampleHashes } from './alert-facts';
import { decideSeverity } from './decide-severity';
import { ACTIONS, explainVerdict, manualTriageReason } from './explain-verdict';
import { RULE_ENGINE, RuleEngine, RuleLevel, RuleMatch } from './rule-engine.port';
import { StoredEndpoint } from './verdict.entity';
import { NewVerdict, VerdictsRepository } from './verdicts.repository';
import { verdictIssuedV2Body } from './verdict-events';

export type AlertEnvelope = EventEnvelope<AlertReceivedBody>;

export type AnalysisOutcome = 'VERDICT' | 'SUPPRESSED' | 'MANUAL_TRIAGE' | 'REPEAT' | 'DUPLICATE';

// An alert enriched, before the rules: what conclude() weighs with their matches.
type Enriched = {
  kind: 'enriched';
  alert: AlertEnvelope;
  customerId: string;
  occurredAt: Date;
  decidedAt: Date;
  hashes: string[];
  iocHits: Awaited<ReturnType<IocMatcher['match']>>;
  reputations: FileReputation[];
  context: Awaited<ReturnType<AssetContextService['contextOf']>>;
};

// An alert judged, before its group is known: silenced by a suppression, or its verdict given its group.
type Judged =
  | { kind: 'suppressed'; row: NewVerdict; suppressionId: string; occurredAt: Date }
  | { kind: 'judged'; severity: SocSeverity; group: AlertGroupInput; verdict: (groupId: string) => NewVerdict };

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

  // A batch is first analysed together under one savepoint: one read of the alerts' verdicts, the
  // groups assigned at once, the verdicts and their events written in a statement each. If any
  // alert of it fails, repeats another of the batch, or meets a verdict written meanwhile, that is
  // rolled back and the batch goes alert by alert, each under its own savepoint (a failed alert
  // gets a manual-triage verdict): the outcome is the same either way.
  async analyse(tx: EntityManager, alerts: AlertEnvelope[]): Promise<AnalysisOutcome[]> {
    let out: AnalysisOutcome[] | null = null;
    if (alerts.length > 1 && alerts.every((a) => a.customerId) && new Set(alerts.map((a) => a.body.alertId)).size === alerts.length) {
      await this.repo.savepoint(tx, 'analyse_batch');
      try {
        out = await this.analyseTogether(tx, alerts);
      } catch (err) {
        this.log.debug({ err }, 'batch analysis failed; analysing alert by alert');
        out = null;
      }
      if (out) await this.repo.releaseSavepoint(tx, 'analyse_batch');
      else {
        await this.repo.rollbackToSavepoint(tx, 'analyse_batch');
        this.assets.forgetUncommitted(tx);
      }
    }
    if (!out) {
      out = [];
      for (const alert of alerts) out.push(await this.analyseOne(tx, alert));
    }
    for (const outcome of out) outcomes.inc({ outcome });
    return out;
  }

  // null: the batch must go alert by alert (see analyse); the caller rolls back what was written.
  private async analyseTogether(tx: EntityManager, alerts: AlertEnvelope[]): Promise<AnalysisOutcome[] | null> {
    const out: AnalysisOutcome[] = new Array<AnalysisOutcome>(alerts.length);
    const known = await this.repo.repeatCountsByAlert(
      tx,
      alerts.map((a) => a.body.alertId),
    );
    const suppressed: { index: number; row: NewVerdict; suppressionId: string; occurredAt: Date }[] = [];
    const enriched: { index: number; alert: AlertEnvelope; e: Enriched }[] = [];
    for (const [index, alert] of alerts.entries()) {
      const a = alert.body;
      const seen = known.get(a.alertId);
      if (seen !== undefined) {
        await this.repo.raiseRepeatCount(tx, a.alertId, a.repeatCount);
        out[index] = a.repeatCount > seen ? 'REPEAT' : 'DUPLICATE';
        continue;
      }
      const p = await this.enrich(tx, alert);
      if (p.kind === 'suppressed') suppressed.push({ index, row: p.row, suppressionId: p.suppressionId, occurredAt: p.occurredAt });
      else enriched.push({ index, alert, e: p });
    }
    // the rules for the whole batch at once: its correlations in a few statements
    const evaluations = await this.rules.evaluateMany(
      tx,
      enriched.map((x) => ruleInput(x.e)),
    );
    const judged = enriched.map((x, k) => ({ index: x.index, alert: x.alert, j: this.conclude(x.e, evaluations[k]) }));
    const groups = await this.grouper.assignMany(
      tx,
      judged.map((x) => (x.j as Extract<Judged, { kind: 'judged' }>).group),
    );
    const highest = new Map<string, SocSeverity>();
    const rows: NewVerdict[] = [];
    judged.forEach((x, k) => {
      const j = x.j as Extract<Judged, { kind: 'judged' }>;
      const groupId = groups[k].groupId;
      const before = highest.get(groupId);
      if (!before || SOC_SEVERITIES.indexOf(j.severity) < SOC_SEVERITIES.indexOf(before)) highest.set(groupId, j.severity);
      rows.push(j.verdict(groupId));
    });
    await this.grouper.raiseSeverities(tx, highest);
    const inserted = await this.repo.insertMany(tx, [...suppressed.map((s) => s.row), ...rows]);
    if (inserted.size !== suppressed.length + rows.length) return null;
    for (const s of suppressed) {
      await this.suppressions.recordHit(tx, s.suppressionId, s.row.alertId, s.row.customerId, s.occurredAt);
      out[s.index] = 'SUPPRESSED';
    }
    await this.publishMany(tx, rows);
    for (const x of judged) out[x.index] = 'VERDICT';
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
        this.assets.forgetUncommitted(tx);
        await this.repo.raiseRepeatCount(tx, a.alertId, a.repeatCount);
      }
      await this.repo.releaseSavepoint(tx);
      return outcome;
    } catch (err) {
      // No alert disappears: whatever failed, the alert gets a verdict an analyst triages.
      await this.repo.rollbackToSavepoint(tx);
      this.assets.forgetUncommitted(tx);
      this.log.warn({ err, alertId: a.alertId }, 'alert analysis failed; verdict marked for manual triage');
      await this.manualTriage(tx, alert, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      return 'MANUAL_TRIAGE';
    }
  }

  private async decide(tx: EntityManager, alert: AlertEnvelope): Promise<AnalysisOutcome> {
    const j = await this.judge(tx, alert);
    if (j.kind === 'suppressed') {
      if (!(await this.repo.insert(tx, j.row))) return 'DUPLICATE';
      await this.suppressions.recordHit(tx, j.suppressionId, j.row.alertId, j.row.customerId, j.occurredAt);
      return 'SUPPRESSED';
    }
    const group = await this.grouper.assign(tx, j.group);
    await this.grouper.raiseSeverity(tx, group.groupId, j.severity);
    const row = j.verdict(group.groupId);
    if (!(await this.repo.insert(tx, row))) return 'DUPLICATE';
    await this.publish(tx, row);
    return 'VERDICT';
  }

  // Everything up to the grouping: suppression, enrichment, rules, the severity decision and its
  // explanation. Writes only what enrichment and rules record (asset bindings, correlations).
  private async judge(tx: EntityManager, alert: AlertEnvelope): Promise<Judged> {
    const p = await this.enrich(tx, alert);
    if (p.kind === 'suppressed') return p;
    return this.conclude(p, await this.rules.evaluate(tx, ruleInput(p)));
  }

  // Suppression, then enrichment: IOC hits, sample reputation, asset context (bindings learned).
  private async enrich(tx: EntityManager, alert: AlertEnvelope): Promise<Extract<Judged, { kind: 'suppressed' }> | Enriched> {
    const a = alert.body;
    const customerId = alert.customerId!;
    const occurredAt = new Date(a.occurredAt);
    const decidedAt = new Date();
    const endpoints = endpointsOf(a.product, a.ecs);

    const suppression = await this.suppressionRules.match(customerId, { product: a.product, ruleName: a.ruleName, ecs: a.ecs }, occurredAt);
    if (suppression) {
      const row = this.row(alert, { severity: 'LOW', reasons: [], actions: [], isolationRecommended: false, endpoints: endpoints.map(plainEndpoint), groupId: null, signature: a.ruleName, suppressedBy: suppression.id, decidedAt });
      return { kind: 'suppressed', row, suppressionId: suppression.id, occurredAt };
    }

    const hashes = sampleHashes(a.ecs);
    const [iocHits, reputations] = await Promise.all([
      this.iocs.match(customerId, a.ecs, occurredAt),
      Promise.all(hashes.slice(0, MAX_REPUTATION_LOOKUPS).map((h) => this.reputation.lookup(h))).then((r) => r.filter((x): x is FileReputation => x !== null)),
    ]);
    await this.assets.learn(tx, customerId, endpoints, occurredAt);
    const context = await this.assets.contextOf(customerId, endpoints);
    return { kind: 'enriched', alert, customerId, occurredAt, decidedAt, hashes, iocHits, reputations, context };
  }

  // The rules' matches weighed with the enrichment: the severity decision, its explanation, the group.
  private conclude(e: Enriched, evaluation: { matches: RuleMatch[] }): Extract<Judged, { kind: 'judged' }> {
    const { alert, customerId, occurredAt, decidedAt, hashes, iocHits, reputations, context } = e;
    const a = alert.body;
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
      managedEndpoints: context.managed,
      hasUser: ecsString(a.ecs, 'user.name') !== null,
      sampleHashes: hashes,
    });

    const hostName = context.endpoints[0]?.hostName ?? null;
    const group: AlertGroupInput = {
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
    };
    const verdict = (groupId: string) =>
      this.row(alert, { severity: decision.severity, ...explanation, endpoints: context.endpoints, groupId, signature: signatureOf(matches, a.ruleName), suppressedBy: null, decidedAt });
    return { kind: 'judged', severity: decision.severity, group, verdict };
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

  // v2 only: v1 was published beside it (STYLE.md's event versioning) until every consumer read v2.
  private async publishMany(tx: EntityManager, vs: NewVerdict[]): Promise<void> {
    if (!vs.length) return;
    await this.outbox.addMany(
      tx,
      VerdictIssuedV2,
      vs.map((v) => ({ body: v2Body(v), customerId: v.customerId, occurredAt: v.decidedAt })),
    );
  }

  private async publish(tx: EntityManager, v: NewVerdict): Promise<void> {
    await this.outbox.add(tx, VerdictIssuedV2, v2Body(v), { customerId: v.customerId, occurredAt: v.decidedAt });
  }
}

function v2Body(v: NewVerdict): ReturnType<typeof verdictIssuedV2Body> {
  return verdictIssuedV2Body({ ...v, overrideSeverity: null, overrideRationale: null, overrideBy: null, overrideAt: null });
}

function ruleInput(e: Enriched): { customerId: string; product: AlertEnvelope['body']['product']; ecs: Record<string, unknown>; at: Date } {
  return { customerId: e.customerId, product: e.alert.body.product, ecs: e.alert.body.ecs, at: e.occurredAt };
}

function plainEndpoint(e: { hostName: string | null; ip: string | null }): StoredEndpoint {
  return { hostName: e.hostName, ip: e.ip };
}

function signatureOf(matches: RuleMatch[], ruleName: string | null): string | null {
  return matches[0]?.title ?? ruleName;
}
