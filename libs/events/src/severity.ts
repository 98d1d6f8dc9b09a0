// Two severities that must not be confused:
// - the SOC's severity (seed: 高 / 中 / 低): the analyst's or analysis' decision on what needs
//   action, carried by verdicts and incidents;
// - the alert severity: what the vendor said, normalized to ECS event.severity score bands.
export const SOC_SEVERITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type SocSeverity = (typeof SOC_SEVERITIES)[number];

// What each SOC severity means to the customer (the seed's MDR severity levels), for API docs.
export const SOC_SEVERITY_MEANINGS: Readonly<Record<SocSeverity, string>> = {
  HIGH: 'High (高): a breach that may seriously threaten the customer’s assets; phone and e-mail, endpoint isolation by prior agreement',
  MEDIUM: 'Medium (中): the breach was prevented but a threat remains (e.g. malware to remove); e-mail and analysis report',
  LOW: 'Low (低): little or no effect on the customer’s assets; counted in the monthly report',
};

export const ALERT_SEVERITIES = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type AlertSeverityLevel = (typeof ALERT_SEVERITIES)[number];

// The lowest ECS event.severity score of each alert severity.
export const ALERT_SEVERITY_FLOOR: Readonly<Record<AlertSeverityLevel, number>> = { INFO: 0, LOW: 21, MEDIUM: 47, HIGH: 73, CRITICAL: 99 };

export function alertSeverityOfScore(score: number): AlertSeverityLevel {
  for (let i = ALERT_SEVERITIES.length - 1; i > 0; i--) if (score >= ALERT_SEVERITY_FLOOR[ALERT_SEVERITIES[i]]) return ALERT_SEVERITIES[i];
  return 'INFO';
}
