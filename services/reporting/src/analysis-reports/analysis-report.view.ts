import { AnalysisReportEdition, IncidentUpdatedBody, SocSeverity, VerdictReasonV2 } from '@kanshi/events';
import { Lang } from '../common/report-format';
import { IsolationOutcomeFact, VerdictFact } from '../report-data/report-facts';

// What an analysis report (調査報告書) says, decided before any markup: the three questions the
// seed's reports answer, then the evidence. Built from the incident's snapshot and its verdicts.
export interface AnalysisReportView {
  lang: Lang;
  edition: AnalysisReportEdition;
  customerName: string;
  generatedAt: Date;
  incident: { id: string; title: string; severity: SocSeverity; status: string; openedAt: string; resolvedAt: string | null };
  // Each section is paragraphs; `fromAnalyst` says whether an analyst wrote it (else it is
  // assembled from the verdicts' reasons and actions).
  whatIsHappening: { paragraphs: string[]; fromAnalyst: boolean };
  howDangerous: { paragraphs: string[]; fromAnalyst: boolean };
  whatToDo: { paragraphs: string[]; fromAnalyst: boolean };
  endpoints: { hostName: string | null; ip: string | null }[];
  // true: the sensor blocked every related alert; false: at least one got through; null: unknown.
  blocked: boolean | null;
  scanResults: string[];
  iocs: string[];
  attackTechniques: string[];
  relatedAlerts: { decidedAt: Date; severity: SocSeverity; signature: string | null; sensor: string; product: string; blocked: boolean | null; alerts: number }[];
  timeline: { at: string; actor: string; text: string }[];
  isolations: IsolationOutcomeFact[];
}

export interface AnalysisReportInput {
  lang: Lang;
  edition: AnalysisReportEdition;
  customerName: string;
  generatedAt: Date;
  incident: IncidentUpdatedBody;
  verdicts: VerdictFact[];
  isolations: IsolationOutcomeFact[];
}

const unique = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];
const paragraphsOf = (text: string) => text.split(/\n\s*\n|\r?\n/).map((p) => p.trim()).filter(Boolean);

export function buildAnalysisReportView(i: AnalysisReportInput): AnalysisReportView {
  const { lang, incident, verdicts } = i;
  const textOf = (r: { text: string; textJa: string }) => (lang === 'ja' ? r.textJa || r.text : r.text || r.textJa);
  const reasons = (kinds: VerdictReasonV2['kind'][]) => unique(verdicts.flatMap((v) => v.reasons.filter((r) => kinds.includes(r.kind)).map(textOf)));
  const section = (written: string | null | undefined, fallback: string[]) =>
    written && written.trim() ? { paragraphs: paragraphsOf(written), fromAnalyst: true } : { paragraphs: fallback, fromAnalyst: false };

  const blockedValues = verdicts.map((v) => v.blocked);
  const blocked = blockedValues.length === 0 || blockedValues.some((b) => b === null) ? (blockedValues.some((b) => b === false) ? false : null) : blockedValues.every(Boolean);
  const endpointKeys = new Set<string>();
  const endpoints = verdicts
    .flatMap((v) => v.endpoints)
    .filter((e) => {
      const key = `${e.hostName ?? ''}|${e.ip ?? ''}`;
      if ((!e.hostName && !e.ip) || endpointKeys.has(key)) return false;
      endpointKeys.add(key);
      return true;
    })
    .map((e) => ({ hostName: e.hostName ?? null, ip: e.ip ?? null }));

  return {
    lang,
    edition: i.edition,
    customerName: i.customerName,
    generatedAt: i.generatedAt,
    incident: { id: incident.incidentId, title: incident.title, severity: incident.severity, status: incident.status, openedAt: incident.openedAt, resolvedAt: incident.resolvedAt ?? null },
    whatIsHappening: section(incident.findings?.whatIsHappening, reasons(['RULE', 'CORRELATION', 'MANUAL_TRIAGE'])),
    howDangerous: section(incident.findings?.howDangerous, reasons(['ASSET', 'BLOCKED', 'REPUTATION'])),
    whatToDo: section(incident.findings?.whatToDo, unique(verdicts.flatMap((v) => v.actions.map(textOf)))),
    endpoints,
    blocked,
    scanResults: reasons(['REPUTATION']),
    iocs: reasons(['IOC']),
    attackTechniques: unique(verdicts.flatMap((v) => v.reasons.flatMap((r) => r.attackTechniques))).sort(),
    relatedAlerts: verdicts.map((v) => ({
      decidedAt: v.decidedAt,
      severity: v.severity,
      signature: v.signature,
      sensor: v.sensorName ?? v.sensorId,
      product: v.product,
      blocked: v.blocked,
      alerts: v.alertIds.length,
    })),
    timeline: (incident.timeline ?? []).map((t) => ({ at: t.at, actor: t.actor, text: t.text })),
    isolations: i.isolations,
  };
}
