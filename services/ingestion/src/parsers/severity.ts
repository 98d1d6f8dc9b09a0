// Kanshi's alert severity scale (@kanshi/events ALERT_SEVERITIES): the score convention of
// common detection rules (21 low, 47 medium, 73 high, 99 critical) plus 0 for informational logs.
// Each vendor parser documents how its own scale maps onto these labels.
// The severity file itself, not the lib's index: parse workers must not load NestJS and class-validator.
import { ALERT_SEVERITY_FLOOR, type AlertSeverityLevel } from '../../../../libs/events/src/severity';

// The parsers' lower-case spelling of the alert severities.
export type SeverityLabel = Lowercase<AlertSeverityLevel>;

export const SEVERITY_SCORE: { readonly [L in SeverityLabel]: number } = {
  info: ALERT_SEVERITY_FLOOR.INFO,
  low: ALERT_SEVERITY_FLOOR.LOW,
  medium: ALERT_SEVERITY_FLOOR.MEDIUM,
  high: ALERT_SEVERITY_FLOOR.HIGH,
  critical: ALERT_SEVERITY_FLOOR.CRITICAL,
};

/**
 * 0-10 scales (CEF, LEEF, Carbon Black Cloud):
 *   0 -> info, 1-3 -> low, 4-6 -> medium, 7-8 -> high, 9-10 -> critical.
 * Fractions are rounded down (CEF allows "7.5"); anything outside 0-10 is unknown.
 */
export function severityFromScale10(value: number): SeverityLabel | null {
  if (!Number.isFinite(value) || value < 0 || value > 10) return null;
  const n = Math.floor(value);
  if (n === 0) return 'info';
  if (n <= 3) return 'low';
  if (n <= 6) return 'medium';
  if (n <= 8) return 'high';
  return 'critical';
}

/** 0-100 risk scores: nearest of 0/21/47/73/99. */
export function severityFromScore(value: number): SeverityLabel | null {
  if (!Number.isFinite(value) || value < 0 || value > 100) return null;
  if (value < 11) return 'info';
  if (value < 34) return 'low';
  if (value < 60) return 'medium';
  if (value < 86) return 'high';
  return 'critical';
}

// Words vendors use, in lower case with spaces/underscores/hyphens folded to one space.
const WORDS: Record<string, SeverityLabel> = {
  unknown: 'info',
  info: 'info',
  information: 'info',
  informational: 'info',
  informative: 'info',
  notice: 'low',
  debug: 'info',
  none: 'info',
  'very low': 'low',
  low: 'low',
  minor: 'low',
  minr: 'low',
  warning: 'medium',
  warn: 'medium',
  medium: 'medium',
  moderate: 'medium',
  med: 'medium',
  error: 'high',
  high: 'high',
  major: 'high',
  majr: 'high',
  severe: 'high',
  'very high': 'critical',
  critical: 'critical',
  crit: 'critical',
  alert: 'critical',
  emergency: 'critical',
  emerg: 'critical',
  fatal: 'critical',
};

/** Generic severity words (syslog level names, CEF words, minor/major). */
export function severityFromWord(word: string): SeverityLabel | null {
  const key = word.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  return Object.prototype.hasOwnProperty.call(WORDS, key) ? WORDS[key] : null;
}
