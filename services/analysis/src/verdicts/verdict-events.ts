import { VerdictIssuedV2Body } from '@kanshi/events';
import { VerdictEntity } from './verdict.entity';

type Verdict = VerdictEntity;

export function verdictIssuedV2Body(v: Verdict): VerdictIssuedV2Body {
  return {
    verdictId: v.id,
    alertIds: [v.alertId],
    groupId: v.groupId,
    severity: v.severity,
    automaticSeverity: v.automaticSeverity,
    overridden: v.overrideSeverity !== null,
    overrideRationale: v.overrideRationale,
    reasons: v.reasons.map((r) => ({ kind: r.kind, text: r.text, textJa: r.textJa, attackTechniques: r.attackTechniques })),
    recommendedActions: v.actions.map((a) => ({ text: a.text, textJa: a.textJa })),
    endpoints: v.endpoints.map((e) => ({ hostName: e.hostName, ip: e.ip, agentId: e.agentId ?? null, endpointId: e.endpointId ?? null })),
    isolationRecommended: v.isolationRecommended,
    sensorId: v.sensorId,
    product: v.product,
    category: v.category,
    signature: v.signature,
    blocked: v.blocked,
    decidedAt: (v.overrideAt ?? v.decidedAt).toISOString(),
  };
}
