// Two severities that must not be confused:
// - the SOC's severity (seed: 高 / 中 / 低): the analyst's or analysis' decision on what needs
//   action, carried by verdicts and incidents;
// - the alert severity: what the vendor said, normalized to ECS event.severity score bands.
export const SOC_SEVERITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type SocSeverity = (typeof SOC_SEVERITIES)[number];

export const ALERT_SEVERITIES = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type AlertSeverityLevel = (typeof ALERT_SEVERITIES)[number];

// The lowest ECS event.severity score of each alert severity.
export const ALERT_SEVERITY_FLOOR: Readonly<Record<AlertSeverityLevel, number>> = { INFO: 0, LOW: 21, MEDIUM: 47, HIGH: 73, CRITICAL: 99 };

export function alertSeverityOfScore(score: number): AlertSeverityLevel {
  for (let i = ALERT_SEVERITIES.length - 1; i > 0; i--) if (score >= ALERT_SEVERITY_FLOOR[ALERT_SEVERITIES[i]]) return ALERT_SEVERITIES[i];
  return 'INFO';
}
