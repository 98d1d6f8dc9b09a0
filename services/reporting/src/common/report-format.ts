import { SocSeverity } from '@kanshi/events';
import { TOKYO_OFFSET_MS } from '@kanshi/calendar';

// How reports print dates, numbers and the SOC's words, in Japanese (the default) or English.
export type Lang = 'ja' | 'en';

// Instants print in Tokyo time: "2026-11-03 10:05 JST".
export function tokyoDateTime(at: Date | string): string {
  const d = new Date(new Date(at).getTime() + TOKYO_OFFSET_MS);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} JST`;
}

export function formatCount(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
}

export function formatPercent(p: number | null, lang: Lang): string {
  if (p === null) return lang === 'ja' ? '該当なし' : 'n/a';
  return `${p.toFixed(2)}%`;
}

export function formatDuration(ms: number, lang: Lang): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return lang === 'ja' ? `${h}時間${m}分` : `${h} h ${m} min`;
}

const SEVERITY: Record<Lang, Record<SocSeverity, string>> = {
  ja: { HIGH: '高', MEDIUM: '中', LOW: '低' },
  en: { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' },
};

export function severityLabel(s: SocSeverity, lang: Lang): string {
  return SEVERITY[lang][s];
}

const INCIDENT_STATUS: Record<Lang, Record<string, string>> = {
  ja: { NEW: '新規', TRIAGED: '分析中', NOTIFIED: '通知済み', CONTAINED: '封じ込め済み', RESOLVED: '解決', CLOSED: '完了' },
  en: { NEW: 'New', TRIAGED: 'Triaged', NOTIFIED: 'Notified', CONTAINED: 'Contained', RESOLVED: 'Resolved', CLOSED: 'Closed' },
};

export function incidentStatusLabel(s: string, lang: Lang): string {
  return INCIDENT_STATUS[lang][s] ?? s;
}

const SLA_CLOCK: Record<Lang, Record<string, string>> = {
  ja: { ANALYSIS: '分析', FIRST_REPORT: '初報', DETAILED_REPORT: '詳細報告' },
  en: { ANALYSIS: 'Analysis', FIRST_REPORT: 'First report', DETAILED_REPORT: 'Detailed report' },
};

export function slaClockLabel(c: string, lang: Lang): string {
  return SLA_CLOCK[lang][c] ?? c;
}

const ISOLATION_OUTCOME: Record<Lang, Record<string, string>> = {
  ja: { ISOLATED: '隔離完了', FAILED: '隔離失敗', RELEASED: '隔離解除' },
  en: { ISOLATED: 'Isolated', FAILED: 'Isolation failed', RELEASED: 'Released' },
};

export function isolationOutcomeLabel(o: string, lang: Lang): string {
  return ISOLATION_OUTCOME[lang][o] ?? o;
}

const WORK_ORDER_KIND: Record<Lang, Record<string, string>> = {
  ja: { VERSION_UPGRADE: 'バージョンアップ', HARDWARE_REPLACEMENT: 'ハードウェア交換' },
  en: { VERSION_UPGRADE: 'Version upgrade', HARDWARE_REPLACEMENT: 'Hardware replacement' },
};

export function workOrderKindLabel(k: string, lang: Lang): string {
  return WORK_ORDER_KIND[lang][k] ?? k;
}

const MAINTENANCE_REASON: Record<Lang, Record<string, string>> = {
  ja: { VERSION_UPGRADE: 'バージョンアップ', DEVICE_REPLACEMENT: '機器交換', OTHER: 'その他' },
  en: { VERSION_UPGRADE: 'Version upgrade', DEVICE_REPLACEMENT: 'Device replacement', OTHER: 'Other' },
};

// A window's reason code from incident (older events carried free text, shown as it is).
export function maintenanceReasonLabel(r: string, lang: Lang): string {
  return MAINTENANCE_REASON[lang][r] ?? r;
}

const WORK_ORDER_OUTCOME: Record<Lang, Record<string, string>> = {
  ja: { DONE: '完了', FAILED: '失敗', CANCELLED: '中止' },
  en: { DONE: 'Done', FAILED: 'Failed', CANCELLED: 'Cancelled' },
};

export function workOrderOutcomeLabel(o: string, lang: Lang): string {
  return WORK_ORDER_OUTCOME[lang][o] ?? o;
}

// An upgrade's versions or a replacement's serial numbers, "from → to" (either side may be unknown).
export function workOrderDetails(o: { fromVersion?: string | null; toVersion?: string | null; oldSerial?: string | null; newSerial?: string | null }): string {
  const from = o.fromVersion ?? o.oldSerial ?? null;
  const to = o.toVersion ?? o.newSerial ?? null;
  if (!from && !to) return '-';
  return `${from ?? '?'} → ${to ?? '?'}`;
}
