import { documentShell } from '../rendering/document-shell';
import { html, HtmlValue } from '../rendering/html';
import { formatCount, incidentStatusLabel, isolationOutcomeLabel, Lang, severityLabel, tokyoDateTime } from '../common/report-format';
import { AnalysisReportView } from './analysis-report.view';

const T = {
  ja: {
    title: { FIRST: '調査報告書（初報）', DETAILED: '調査報告書（詳細）' },
    customer: 'お客様',
    incident: 'インシデント',
    severity: '重要度',
    status: '状況',
    opened: '検知日時',
    resolved: '解決日時',
    generated: '作成日時',
    what: '1. 何が起きているか（脅威の内容）',
    how: '2. どの程度危険か（侵入の理由）',
    todo: '3. 何をすべきか（感染経路と対策）',
    fromVerdicts: '※ 自動分析の結果から作成しています。',
    none: '該当なし',
    target: '対象端末',
    host: 'ホスト名',
    ip: 'IP アドレス',
    blocked: 'センサーによる遮断',
    blockedYes: '遮断済み',
    blockedNo: '遮断されていません（通信は成立）',
    blockedUnknown: '不明',
    scan: '検体のスキャン結果',
    iocs: 'IOC（侵害の痕跡）',
    attack: 'MITRE ATT&CK テクニック',
    alerts: '関連アラート',
    decided: '判定日時',
    signature: 'シグネチャ',
    sensor: 'センサー',
    product: '製品',
    count: '件数',
    timeline: 'タイムライン',
    at: '日時',
    actor: '実施者',
    event: '内容',
    isolation: '隔離の記録',
    outcome: '結果',
    vendor: 'EDR',
    error: 'エラー',
  },
  en: {
    title: { FIRST: 'Analysis report (first report)', DETAILED: 'Analysis report (detailed)' },
    customer: 'Customer',
    incident: 'Incident',
    severity: 'Severity',
    status: 'Status',
    opened: 'Detected',
    resolved: 'Resolved',
    generated: 'Prepared',
    what: '1. What is happening (the threat)',
    how: '2. How dangerous it is (why it got in)',
    todo: '3. What to do (route of infection and countermeasures)',
    fromVerdicts: 'Assembled from the automatic analysis.',
    none: 'None',
    target: 'Target endpoints',
    host: 'Host name',
    ip: 'IP address',
    blocked: 'Blocked by the sensor',
    blockedYes: 'Blocked',
    blockedNo: 'Not blocked (the traffic got through)',
    blockedUnknown: 'Unknown',
    scan: 'Scan result of the sample',
    iocs: 'Indicators of compromise (IOCs)',
    attack: 'MITRE ATT&CK techniques',
    alerts: 'Related alerts',
    decided: 'Decided',
    signature: 'Signature',
    sensor: 'Sensor',
    product: 'Product',
    count: 'Alerts',
    timeline: 'Timeline',
    at: 'Time',
    actor: 'By',
    event: 'What happened',
    isolation: 'Isolation log',
    outcome: 'Outcome',
    vendor: 'EDR',
    error: 'Error',
  },
} as const;

const CSS = `
.meta th { width: 28%; }
.sev-HIGH { color: #b00020; }
.sev-MEDIUM { color: #b36b00; }
.note { color: #555; font-size: 8.5pt; }
ul { margin: 1mm 0 1mm 5mm; padding: 0; }
p { margin: 1mm 0 2mm; line-height: 1.55; }
.nowrap, th { white-space: nowrap; }
table.list { font-size: 8.5pt; }
`;

export function analysisReportTitle(v: Pick<AnalysisReportView, 'lang' | 'edition' | 'incident'>): string {
  return `${T[v.lang].title[v.edition]}: ${v.incident.title}`;
}

function list(items: string[], lang: Lang): HtmlValue {
  return items.length ? html`<ul>${items.map((x) => html`<li>${x}</li>`)}</ul>` : html`<p>${T[lang].none}</p>`;
}

function section(title: string, s: { paragraphs: string[]; fromAnalyst: boolean }, lang: Lang): HtmlValue {
  const t = T[lang];
  return html`<h2>${title}</h2>
${s.paragraphs.length ? s.paragraphs.map((p) => html`<p>${p}</p>`) : html`<p>${t.none}</p>`}
${s.fromAnalyst || !s.paragraphs.length ? '' : html`<p class="note">${t.fromVerdicts}</p>`}`;
}

// The whole document: every value from the incident and its verdicts goes through `html`'s escaping.
export function analysisReportHtml(v: AnalysisReportView): string {
  const t = T[v.lang];
  const blocked = v.blocked === true ? t.blockedYes : v.blocked === false ? t.blockedNo : t.blockedUnknown;
  const body = html`<h1>${t.title[v.edition]}</h1>
<table class="meta">
<tr><th>${t.customer}</th><td>${v.customerName}</td></tr>
<tr><th>${t.incident}</th><td>${v.incident.title}</td></tr>
<tr><th>${t.severity}</th><td class="sev-${v.incident.severity}">${severityLabel(v.incident.severity, v.lang)}</td></tr>
<tr><th>${t.status}</th><td>${incidentStatusLabel(v.incident.status, v.lang)}</td></tr>
<tr><th>${t.opened}</th><td>${tokyoDateTime(v.incident.openedAt)}</td></tr>
${v.incident.resolvedAt ? html`<tr><th>${t.resolved}</th><td>${tokyoDateTime(v.incident.resolvedAt)}</td></tr>` : ''}
<tr><th>${t.generated}</th><td>${tokyoDateTime(v.generatedAt)}</td></tr>
</table>
${section(t.what, v.whatIsHappening, v.lang)}
${section(t.how, v.howDangerous, v.lang)}
${section(t.todo, v.whatToDo, v.lang)}
<h2>${t.target}</h2>
${
  v.endpoints.length
    ? html`<table><thead><tr><th>${t.host}</th><th>${t.ip}</th></tr></thead><tbody>${v.endpoints.map((e) => html`<tr><td>${e.hostName ?? '-'}</td><td>${e.ip ?? '-'}</td></tr>`)}</tbody></table>`
    : html`<p>${t.none}</p>`
}
<table class="meta" style="margin-top: 3mm"><tr><th>${t.blocked}</th><td>${blocked}</td></tr></table>
<h2>${t.scan}</h2>
${list(v.scanResults, v.lang)}
<h2>${t.iocs}</h2>
${list(v.iocs, v.lang)}
${v.attackTechniques.length ? html`<h2>${t.attack}</h2><p>${v.attackTechniques.join(', ')}</p>` : ''}
<h2>${t.alerts}</h2>
${
  v.relatedAlerts.length
    ? html`<table class="list"><thead><tr><th>${t.decided}</th><th>${t.severity}</th><th>${t.signature}</th><th>${t.sensor}</th><th>${t.product}</th><th>${t.blocked}</th><th class="num">${t.count}</th></tr></thead>
<tbody>${v.relatedAlerts.map(
        (a) =>
          html`<tr><td class="nowrap">${tokyoDateTime(a.decidedAt)}</td><td class="nowrap sev-${a.severity}">${severityLabel(a.severity, v.lang)}</td><td>${a.signature ?? '-'}</td><td class="nowrap">${a.sensor}</td><td>${a.product}</td><td class="nowrap">${a.blocked === true ? t.blockedYes : a.blocked === false ? '-' : t.blockedUnknown}</td><td class="num">${formatCount(a.alerts, v.lang)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.none}</p>`
}
<h2>${t.timeline}</h2>
${
  v.timeline.length
    ? html`<table class="list"><thead><tr><th>${t.at}</th><th>${t.actor}</th><th>${t.event}</th></tr></thead><tbody>${v.timeline.map((e) => html`<tr><td class="nowrap">${tokyoDateTime(e.at)}</td><td class="nowrap">${e.actor}</td><td>${e.text}</td></tr>`)}</tbody></table>`
    : html`<p>${t.none}</p>`
}
<h2>${t.isolation}</h2>
${
  v.isolations.length
    ? html`<table class="list"><thead><tr><th>${t.at}</th><th>${t.host}</th><th>${t.outcome}</th><th>${t.vendor}</th><th>${t.error}</th></tr></thead><tbody>${v.isolations.map(
        (o) => html`<tr><td class="nowrap">${tokyoDateTime(o.at)}</td><td class="nowrap">${o.hostName ?? '-'}</td><td class="nowrap">${isolationOutcomeLabel(o.outcome, v.lang)}</td><td class="nowrap">${o.vendor ?? '-'}</td><td>${o.error ?? ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.none}</p>`
}`;
  return documentShell({ lang: v.lang, title: analysisReportTitle(v), css: CSS, body });
}
