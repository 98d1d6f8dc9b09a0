// Sample bodies of other services' events for reporting's specs, shaped as their publishers send them.
import { randomUUID } from 'node:crypto';
import { ContractEntitlementsBody, IncidentUpdatedBody, IsolationOutcomeBody, SocSeverity, VerdictIssuedV2Body } from '@kanshi/events';

export function verdictBody(over: Partial<VerdictIssuedV2Body> = {}): VerdictIssuedV2Body {
  const severity = over.severity ?? 'HIGH';
  return {
    verdictId: randomUUID(),
    alertIds: [randomUUID()],
    groupId: null,
    severity,
    automaticSeverity: severity,
    overridden: false,
    overrideRationale: null,
    reasons: [
      { kind: 'RULE', text: 'Cobalt Strike beacon callback', textJa: 'Cobalt Strike のビーコン通信', attackTechniques: ['T1071.001'] },
      { kind: 'IOC', text: 'Destination 198.51.100.77 is a known C2 server', textJa: '宛先 198.51.100.77 は既知の C2 サーバ', attackTechniques: [] },
      { kind: 'REPUTATION', text: 'VirusTotal: 52 of 70 engines detect the sample', textJa: 'VirusTotal: 70 エンジン中 52 が検知', attackTechniques: [] },
    ],
    recommendedActions: [{ text: 'Isolate the host and rebuild it', textJa: '端末を隔離し再構築してください' }],
    endpoints: [{ hostName: 'PC-SALES-07', ip: '10.20.0.7', agentId: null }],
    isolationRecommended: severity === 'HIGH',
    sensorId: randomUUID(),
    product: 'FIREEYE_NX',
    category: ['malware', 'network'],
    signature: 'Malware.Binary.exe',
    blocked: false,
    decidedAt: new Date().toISOString(),
    ...over,
  };
}

export function incidentBody(over: Partial<IncidentUpdatedBody> = {}): IncidentUpdatedBody {
  return {
    incidentId: randomUUID(),
    version: 1,
    kind: 'SECURITY',
    severity: 'HIGH' as SocSeverity,
    status: 'NOTIFIED',
    title: 'Cobalt Strike beacon on PC-SALES-07',
    openedAt: new Date().toISOString(),
    resolvedAt: null,
    groupId: null,
    sensorId: null,
    verdictIds: [],
    alertIds: [],
    sla: [],
    findings: { whatIsHappening: null, howDangerous: null, whatToDo: null },
    timeline: [],
    ...over,
  };
}

export function isolationBody(incidentId: string, over: Partial<IsolationOutcomeBody> = {}): IsolationOutcomeBody {
  return { isolationId: randomUUID(), incidentId, endpointId: randomUUID(), at: new Date().toISOString(), vendor: 'CROWDSTRIKE_FALCON', hostName: 'PC-SALES-07', ...over };
}

export function contractBody(customerId: string, over: Partial<ContractEntitlementsBody> = {}): ContractEntitlementsBody {
  return {
    contractId: randomUUID(),
    customerId,
    partnerId: null,
    plan: 'MDR',
    serviceHours: 'ALWAYS',
    options: [],
    livenessMonitoring: true,
    monitoredProducts: ['FIREEYE_NX'],
    escalationContacts: [{ order: 1, name: '山田 太郎', email: 'yamada@example.co.jp', language: 'ja' }],
    isolationPreApproved: true,
    logRetentionMonths: 3,
    status: 'active',
    startDate: '2026-01-01',
    endDate: null,
    ...over,
  };
}
