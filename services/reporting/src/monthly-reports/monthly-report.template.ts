import { SOC_SEVERITIES, SocSeverity } from '@kanshi/events';
import { documentShell } from '../rendering/document-shell';
import { html, HtmlValue } from '../rendering/html';
import {
  formatCount,
  formatDuration,
  formatPercent,
  incidentStatusLabel,
  isolationOutcomeLabel,
  Lang,
  severityLabel,
  slaClockLabel,
  tokyoDateTime,
  maintenanceReasonLabel,
  workOrderDetails,
  workOrderKindLabel,
  workOrderOutcomeLabel,
} from '../common/report-format';
import { Counted } from '../report-data/report-facts';
import { MonthlyReportView, SlaOutcome } from './monthly-report.view';
import { horizontalBarChart, pieChart, stackedBarChart } from './svg-charts';

const COLORS: Record<SocSeverity, string> = { HIGH: '#c62828', MEDIUM: '#f9a825', LOW: '#78909c' };

const T = {
  ja: {
    title: (month: string) => `月次報告書 ${month.replace('-', '年')}月`,
    provisional: 'この報告書は当月途中の暫定版です。数値は月末までに変わります。',
    customer: 'お客様',
    period: '対象期間',
    generated: '作成日時',
    summary: '1. サマリー',
    total: 'アラート総数',
    previous: '前月',
    change: '前月比',
    severity: '重要度',
    count: '件数',
    blocked: 'センサーで遮断',
    alerts: '2. アラート統計',
    perDay: '日別アラート件数（重要度別）',
    bySeverity: '重要度別の割合',
    bySensor: 'センサー別',
    byProduct: '製品別',
    byCategory: 'カテゴリ別',
    topSignatures: '上位シグネチャ',
    signature: 'シグネチャ',
    sensor: 'センサー',
    product: '製品',
    category: 'カテゴリ',
    low: '3. 重要度「低」のアラート統計',
    lowNote: '重要度「低」のアラートは個別には通知せず、本報告書で件数をお知らせします。',
    incidents: '4. インシデントと SLA',
    incident: 'インシデント',
    status: '状況',
    opened: '検知日時',
    sla: 'SLA',
    slaSummary: 'SLA 遵守状況',
    clock: '項目',
    met: '遵守',
    breached: '超過',
    running: '進行中',
    compliance: '遵守率',
    uptime: '5. センサー稼働率',
    uptimePct: '稼働率',
    down: '停止時間',
    outages: '停止回数',
    maintenance: '6. メンテナンスと作業',
    windows: 'メンテナンス期間',
    starts: '開始',
    ends: '終了',
    reason: '理由',
    workOrders: '作業記録',
    kind: '種別',
    planned: '予定',
    engineer: '担当',
    outcome: '結果',
    version: 'バージョン',
    details: '内容',
    isolations: '7. 端末隔離',
    host: 'ホスト名',
    at: '日時',
    none: '該当なし',
    all: '全センサー',
  },
  en: {
    title: (month: string) => `Monthly report ${month}`,
    provisional: 'This is a provisional report for a month in progress; its figures will change until the month ends.',
    customer: 'Customer',
    period: 'Period',
    generated: 'Prepared',
    summary: '1. Summary',
    total: 'Alerts in total',
    previous: 'Previous month',
    change: 'Change',
    severity: 'Severity',
    count: 'Count',
    blocked: 'Blocked by the sensor',
    alerts: '2. Alert statistics',
    perDay: 'Alerts per day by severity',
    bySeverity: 'Share by severity',
    bySensor: 'By sensor',
    byProduct: 'By product',
    byCategory: 'By category',
    topSignatures: 'Top signatures',
    signature: 'Signature',
    sensor: 'Sensor',
    product: 'Product',
    category: 'Category',
    low: '3. Low-severity alerts',
    lowNote: 'Low-severity alerts are not notified one by one; this report counts them.',
    incidents: '4. Incidents and SLA',
    incident: 'Incident',
    status: 'Status',
    opened: 'Detected',
    sla: 'SLA',
    slaSummary: 'SLA compliance',
    clock: 'Clock',
    met: 'Met',
    breached: 'Breached',
    running: 'Running',
    compliance: 'Compliance',
    uptime: '5. Sensor up-time',
    uptimePct: 'Up-time',
    down: 'Down time',
    outages: 'Outages',
    maintenance: '6. Maintenance and work',
    windows: 'Maintenance windows',
    starts: 'Starts',
    ends: 'Ends',
    reason: 'Reason',
    workOrders: 'Work orders',
    kind: 'Kind',
    planned: 'Planned',
    engineer: 'Engineer',
    outcome: 'Outcome',
    version: 'Version',
    details: 'Details',
    isolations: '7. Endpoint isolations',
    host: 'Host name',
    at: 'Time',
    none: 'None',
    all: 'All sensors',
  },
} as const;

const CSS = `
.meta th { width: 28%; }
.provisional { border: 2px solid #b00020; color: #b00020; padding: 2mm 3mm; margin-bottom: 4mm; font-weight: bold; }
.chart { margin: 2mm 0 4mm; }
.sev-HIGH { color: #b00020; font-weight: bold; }
.sev-MEDIUM { color: #b36b00; font-weight: bold; }
.sla-BREACHED { color: #b00020; font-weight: bold; }
.sla-MET { color: #1b5e20; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
.note { color: #555; font-size: 8.5pt; }
.nowrap, th { white-space: nowrap; }
`;

export function monthlyReportTitle(v: Pick<MonthlyReportView, 'lang' | 'month'>): string {
  return T[v.lang].title(v.month);
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function countedTable(rows: Counted[], head: string, lang: Lang): HtmlValue {
  const t = T[lang];
  if (!rows.length) return html`<p>${t.none}</p>`;
  return html`<table><thead><tr><th>${head}</th><th class="num">${t.count}</th></tr></thead><tbody>${rows.map(
    (r) => html`<tr><td>${r.label ?? r.key}</td><td class="num">${formatCount(r.count, lang)}</td></tr>`,
  )}</tbody></table>`;
}

function slaCell(sla: { clock: string; outcome: SlaOutcome }[], lang: Lang): HtmlValue {
  const t = T[lang];
  const word = { MET: t.met, BREACHED: t.breached, RUNNING: t.running };
  return sla.length ? sla.map((c) => html`<div class="sla-${c.outcome}">${slaClockLabel(c.clock, lang)}: ${word[c.outcome]}</div>`) : '-';
}

// The whole document; every value from events is escaped by `html`, the charts by svg-charts.
export function monthlyReportHtml(v: MonthlyReportView): string {
  const t = T[v.lang];
  const sev = (s: SocSeverity) => severityLabel(s, v.lang);
  const lastDay = v.days[v.days.length - 1];
  const body = html`<h1>${t.title(v.month)}</h1>
${v.provisional ? html`<div class="provisional">${t.provisional}</div>` : ''}
<table class="meta">
<tr><th>${t.customer}</th><td>${v.customerName}</td></tr>
<tr><th>${t.period}</th><td>${v.days[0]} – ${lastDay}</td></tr>
<tr><th>${t.generated}</th><td class="nowrap">${tokyoDateTime(v.generatedAt)}</td></tr>
</table>

<h2>${t.summary}</h2>
<table><thead><tr><th>${t.severity}</th><th class="num">${v.month}</th><th class="num">${t.previous} (${v.previous.month})</th><th class="num">${t.change}</th></tr></thead>
<tbody>
${SOC_SEVERITIES.map((s) => html`<tr><td class="sev-${s}">${sev(s)}</td><td class="num">${formatCount(v.stats.bySeverity[s], v.lang)}</td><td class="num">${formatCount(v.previous.bySeverity[s], v.lang)}</td><td class="num">${signed(v.change[s])}</td></tr>`)}
<tr><th>${t.total}</th><th class="num">${formatCount(v.stats.total, v.lang)}</th><th class="num">${formatCount(v.previous.total, v.lang)}</th><th class="num">${signed(v.change.TOTAL)}</th></tr>
<tr><td>${t.blocked}</td><td class="num">${formatCount(v.stats.blocked, v.lang)}</td><td></td><td></td></tr>
</tbody></table>

<h2>${t.alerts}</h2>
<h3>${t.perDay}</h3>
<div class="chart">${stackedBarChart({
    title: t.perDay,
    labels: v.days.map((d) => String(Number(d.slice(8)))),
    series: SOC_SEVERITIES.map((s) => ({ name: sev(s), color: COLORS[s] })),
    values: SOC_SEVERITIES.map((s) => v.daily[s]),
  })}</div>
<h3>${t.bySeverity}</h3>
<div class="chart">${pieChart({ title: t.bySeverity, slices: SOC_SEVERITIES.map((s) => ({ label: sev(s), value: v.stats.bySeverity[s], color: COLORS[s] })) })}</div>
<h3>${t.bySensor}</h3>
${v.stats.bySensor.length ? html`<div class="chart">${horizontalBarChart({ title: t.bySensor, color: '#1565c0', items: v.stats.bySensor.map((r) => ({ label: r.label ?? r.key, value: r.count })) })}</div>` : ''}
${countedTable(v.stats.bySensor, t.sensor, v.lang)}
<h3>${t.byProduct}</h3>
${countedTable(v.stats.byProduct, t.product, v.lang)}
<h3>${t.byCategory}</h3>
${countedTable(v.stats.byCategory, t.category, v.lang)}
<h3>${t.topSignatures}</h3>
${v.stats.topSignatures.length ? html`<div class="chart">${horizontalBarChart({ title: t.topSignatures, color: '#6a1b9a', items: v.stats.topSignatures.map((r) => ({ label: r.key, value: r.count })) })}</div>` : ''}
${countedTable(v.stats.topSignatures, t.signature, v.lang)}

<h2>${t.low}</h2>
<p class="note">${t.lowNote}</p>
<p>${sev('LOW')}: ${formatCount(v.stats.bySeverity.LOW, v.lang)} (${t.previous}: ${formatCount(v.previous.bySeverity.LOW, v.lang)}, ${t.change}: ${signed(v.change.LOW)})</p>
${countedTable(v.stats.lowBySignature, t.signature, v.lang)}
<h3>${t.bySensor}</h3>
${countedTable(v.stats.lowBySensor, t.sensor, v.lang)}

<h2>${t.incidents}</h2>
${
  v.incidents.length
    ? html`<table><thead><tr><th>${t.opened}</th><th>${t.incident}</th><th>${t.severity}</th><th>${t.status}</th><th>${t.sla}</th></tr></thead><tbody>${v.incidents.map(
        (i) => html`<tr><td class="nowrap">${tokyoDateTime(i.openedAt)}</td><td>${i.title}</td><td class="sev-${i.severity}">${sev(i.severity)}</td><td>${incidentStatusLabel(i.status, v.lang)}</td><td>${slaCell(i.sla, v.lang)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.none}</p>`
}
<h3>${t.slaSummary}</h3>
${
  v.sla.length
    ? html`<table><thead><tr><th>${t.clock}</th><th class="num">${t.met}</th><th class="num">${t.breached}</th><th class="num">${t.running}</th><th class="num">${t.compliance}</th></tr></thead><tbody>${v.sla.map(
        (r) => html`<tr><td>${slaClockLabel(r.clock, v.lang)}</td><td class="num">${r.met}</td><td class="num">${r.breached}</td><td class="num">${r.running}</td><td class="num">${formatPercent(r.compliancePercent, v.lang)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.none}</p>`
}

<h2>${t.uptime}</h2>
${
  v.uptime.length
    ? html`<table><thead><tr><th>${t.sensor}</th><th>${t.product}</th><th>${t.version}</th><th class="num">${t.uptimePct}</th><th class="num">${t.down}</th><th class="num">${t.outages}</th></tr></thead><tbody>${v.uptime.map(
        (u) => html`<tr><td>${u.name}</td><td>${u.product}</td><td>${u.productVersion ?? '-'}</td><td class="num">${formatPercent(u.uptimePercent, v.lang)}</td><td class="num">${formatDuration(u.downMs, v.lang)}</td><td class="num">${u.outages}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.none}</p>`
}

<h2>${t.maintenance}</h2>
<h3>${t.windows}</h3>
${
  v.maintenance.length
    ? html`<table><thead><tr><th>${t.starts}</th><th>${t.ends}</th><th>${t.sensor}</th><th>${t.reason}</th></tr></thead><tbody>${v.maintenance.map(
        (w) => html`<tr><td class="nowrap">${tokyoDateTime(w.startsAt)}</td><td class="nowrap">${tokyoDateTime(w.endsAt)}</td><td>${w.sensorName ?? w.sensorId ?? t.all}</td><td>${maintenanceReasonLabel(w.reason, v.lang)}${w.note ? ` (${w.note})` : ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.none}</p>`
}
<h3>${t.workOrders}</h3>
${
  v.workOrders.length
    ? html`<table><thead><tr><th>${t.planned}</th><th>${t.kind}</th><th>${t.sensor}</th><th>${t.details}</th><th>${t.engineer}</th><th>${t.outcome}</th></tr></thead><tbody>${v.workOrders.map(
        (o) =>
          html`<tr><td class="nowrap">${tokyoDateTime(o.plannedStart)}</td><td>${workOrderKindLabel(o.kind, v.lang)}</td><td>${o.sensorName ?? o.sensorId}</td><td>${workOrderDetails(o)}</td><td>${o.engineer}</td><td>${o.outcome ? workOrderOutcomeLabel(o.outcome, v.lang) : '-'}${o.notes ? ` (${o.notes})` : ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.none}</p>`
}

<h2>${t.isolations}</h2>
<p>${isolationOutcomeLabel('ISOLATED', v.lang)}: ${v.isolationCounts.ISOLATED} / ${isolationOutcomeLabel('FAILED', v.lang)}: ${v.isolationCounts.FAILED} / ${isolationOutcomeLabel('RELEASED', v.lang)}: ${v.isolationCounts.RELEASED}</p>
${
  v.isolations.length
    ? html`<table><thead><tr><th>${t.at}</th><th>${t.host}</th><th>${t.outcome}</th></tr></thead><tbody>${v.isolations.map(
        (o) => html`<tr><td class="nowrap">${tokyoDateTime(o.at)}</td><td>${o.hostName ?? o.endpointId}</td><td>${isolationOutcomeLabel(o.outcome, v.lang)}${o.error ? html` (${o.error})` : ''}</td></tr>`,
      )}</tbody></table>`
    : ''
}`;
  return documentShell({ lang: v.lang, title: monthlyReportTitle(v), css: CSS, body });
}
