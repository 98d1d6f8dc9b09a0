import { VerdictIssuedBody, VerdictIssuedV2Body } from '@kanshi/events';
import { VerdictEntity } from './verdict.entity';

type Verdict = VerdictEntity;

// analysis.verdict.issued.v1, kept filled for its consumers: the reasons' English texts as one
// rationale, the actions' English texts, the first endpoint.
export function verdictIssuedV1Body(v: Omit<Verdict, 'overrideSeverity' | 'overrideRationale' | 'overrideBy' | 'overrideAt'>): VerdictIssuedBody {
  return {
    verdictId: v.id,
    alertIds: [v.alertId],
    groupKey: v.groupId,
    severity: v.severity,
    title: v.signature ?? `${v.product} alert`,
    rationale: v.reasons.map((r) => r.text).join('; '),
    recommendedActions: v.actions.map((a) => a.text),
    hostName: v.endpoints[0]?.hostName ?? null,
    hostIp: v.endpoints[0]?.ip ?? null,
  };
}

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
