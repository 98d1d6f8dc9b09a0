import { SocSeverity } from '@kanshi/events';
import { RuleLevel } from './rule-engine.port';

// What the severity decision looks at, already extracted from the alert and its enrichment.
export interface SeverityEvidence {
  // What the sensor said: true blocked / reset / quarantined, false let through, null unknown.
  blocked: boolean | null;
  rules: readonly { level: RuleLevel; correlation: unknown }[];
  iocConfidences: readonly number[];
  // Engines that flagged the sample (VirusTotal malicious), null when no sample was looked up.
  reputationMalicious: number | null;
  // A file or process is on an endpoint (a file or process hash, path or name in the alert).
  remainsOnEndpoint: boolean;
  // ECS event.severity the vendor gave (21 low, 47 medium, 73 high, 99 critical).
  vendorScore: number;
  criticalAsset: boolean;
}

export interface SeverityDecision {
  severity: SocSeverity;
  // Which of the seed's situations the alert is in (for the reasons' texts).
  basis: 'IN_PROGRESS' | 'CORRELATED' | 'PREVENTED_REMAINS' | 'MEDIUM_RULE' | 'UNBLOCKED_VENDOR_HIGH' | 'LITTLE_EFFECT';
  threat: boolean;
  raisedByAsset: boolean;
}

export const IOC_CONFIDENCE_THRESHOLD = 70;
export const REPUTATION_ENGINES_THRESHOLD = 5;
const VENDOR_HIGH_SCORE = 73;
const RAISED: Record<SocSeverity, SocSeverity> = { LOW: 'MEDIUM', MEDIUM: 'HIGH', HIGH: 'HIGH' };

// The seed's MDR severity levels:
// - HIGH: a breach in progress that threatens the customer's assets: a high/critical rule, an IOC
//   hit of confidence >= 70 or a sample flagged by >= 5 engines, and the sensor did not block it
//   (unknown counts as not blocked: the safer side); or a correlation fired.
// - MEDIUM: prevented, but something remains on the endpoint (blocked, with a file or process
//   left); or a medium rule; or a vendor-rated high alert that was let through with no other
//   evidence (an analyst looks at it rather than it sinking into the monthly statistics).
// - LOW: little effect: informational/low rules, blocked network attacks with nothing on an endpoint.
// A critical asset raises the result one level (LOW -> MEDIUM, MEDIUM -> HIGH).
export function decideSeverity(e: SeverityEvidence): SeverityDecision {
  const ruleThreat = e.rules.some((r) => r.level === 'high' || r.level === 'critical');
  const iocThreat = e.iocConfidences.some((c) => c >= IOC_CONFIDENCE_THRESHOLD);
  const sampleThreat = (e.reputationMalicious ?? 0) >= REPUTATION_ENGINES_THRESHOLD;
  const threat = ruleThreat || iocThreat || sampleThreat;
  const correlated = e.rules.some((r) => r.correlation !== null && r.correlation !== undefined);
  const blocked = e.blocked === true;

  let severity: SocSeverity;
  let basis: SeverityDecision['basis'];
  if (correlated) [severity, basis] = ['HIGH', 'CORRELATED'];
  else if (threat && !blocked) [severity, basis] = ['HIGH', 'IN_PROGRESS'];
  else if (blocked && e.remainsOnEndpoint) [severity, basis] = ['MEDIUM', 'PREVENTED_REMAINS'];
  else if (e.rules.some((r) => r.level === 'medium')) [severity, basis] = ['MEDIUM', 'MEDIUM_RULE'];
  else if (!blocked && e.vendorScore >= VENDOR_HIGH_SCORE) [severity, basis] = ['MEDIUM', 'UNBLOCKED_VENDOR_HIGH'];
  else [severity, basis] = ['LOW', 'LITTLE_EFFECT'];

  const raisedByAsset = e.criticalAsset && severity !== 'HIGH';
  return { severity: e.criticalAsset ? RAISED[severity] : severity, basis, threat, raisedByAsset };
}
