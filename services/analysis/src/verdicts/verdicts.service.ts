import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authorize, Principal, scopeOf } from '@kanshi/auth';
import { VerdictIssuedV2 } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { OverrideVerdictArgs } from './override-verdict.args';
import { verdictIssuedV2Body } from './verdict-events';
import { VerdictEntity } from './verdict.entity';
import { VerdictObject } from './verdict.object';
import { VerdictError } from './verdicts.errors';
import { VerdictsPermissions } from './verdicts.permissions';
import { VerdictsRepository } from './verdicts.repository';

// Verdicts as the API shows them, and an analyst's override.
@Injectable()
export class VerdictsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: VerdictsRepository,
    private readonly outbox: Outbox,
  ) {}

  // By alert id, only those on alerts of customers the caller may see.
  async byAlertIds(principal: Principal, alertIds: readonly string[]): Promise<Map<string, VerdictObject>> {
    authorize(principal, VerdictsPermissions.readVerdicts);
    const rows = await this.repo.visibleByAlertIds(scopeOf(principal), alertIds);
    return new Map([...rows].map(([alertId, v]) => [alertId, verdictView(v)]));
  }

  // The override becomes the verdict's severity; the automatic decision stays beside it, and the
  // verdict goes out again as analysis.verdict.issued.v2 with `overridden: true`.
  async override(principal: Principal, args: OverrideVerdictArgs): Promise<VerdictObject> {
    authorize(principal, VerdictsPermissions.overrideVerdicts);
    if (!args.verdictId === !args.alertId) throw new VerdictError('ONE_VERDICT_TARGET', 'give exactly one of verdictId and alertId', 'verdictId');
    const scope = scopeOf(principal);
    const found = args.verdictId ? await this.repo.visibleById(scope, args.verdictId) : ((await this.repo.visibleByAlertIds(scope, [args.alertId!])).get(args.alertId!) ?? null);
    const field = args.verdictId ? 'verdictId' : 'alertId';
    if (!found) throw new VerdictError('VERDICT_NOT_FOUND', `no verdict ${args.verdictId ?? `for alert ${args.alertId}`}`, field);
    if (found.suppressedBy) throw new VerdictError('VERDICT_SUPPRESSED', 'the alert was suppressed: there is no verdict to override', field);
    const updated = await this.ds.transaction(async (tx) => {
      const v = await this.repo.override(tx, found.id, { severity: args.severity, rationale: args.rationale, by: principal.subject, at: new Date() });
      await this.outbox.add(tx, VerdictIssuedV2, verdictIssuedV2Body(v), { customerId: v.customerId, occurredAt: v.overrideAt ?? new Date() });
      return v;
    });
    return verdictView(updated);
  }
}

export function verdictView(v: VerdictEntity): VerdictObject {
  return {
    id: v.id,
    alertId: v.alertId,
    severity: v.severity,
    automaticSeverity: v.automaticSeverity,
    automatic: v.overrideSeverity === null,
    decidedAt: v.decidedAt,
    reasons: v.reasons,
    recommendedActions: v.actions,
    isolationRecommended: v.isolationRecommended,
    endpoints: v.endpoints,
    blocked: v.blocked,
    suppressed: v.suppressedBy !== null,
    override:
      v.overrideSeverity !== null ? { severity: v.overrideSeverity, rationale: v.overrideRationale ?? '', by: v.overrideBy ?? '', at: v.overrideAt ?? v.decidedAt } : null,
    groupId: v.groupId,
  };
}
