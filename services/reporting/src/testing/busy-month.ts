// A busy customer's month as the monthly report's input (what ReportFactsRepository would answer
// for it), generated from a seed so the same seed always gives the same month: 24 sensors of six
// products, tens of thousands of verdicts, ~120 incidents with their SLA clocks, outages,
// maintenance, work orders and isolations. The reporting bench renders 100 of these through the
// real monthly report view and template; data that looks like markup is part of it on purpose.
import { SOC_SEVERITIES, SocSeverity } from '@kanshi/events';
import { tokyoMonth } from '../monthly-reports/monthly-report.view';
import { MonthlyReportInput } from '../monthly-reports/monthly-report.view';
import { Counted, IncidentFact, IsolationOutcomeFact, MaintenanceWindowFact, VerdictStatistics, WorkOrderFact } from '../report-data/report-facts';
import { SensorUptime } from '../report-data/uptime';

const PRODUCTS = ['FORTIGATE', 'PALO_ALTO', 'FIREEYE_NX', 'TREND_APEX_ONE', 'CROWDSTRIKE_FALCON', 'DEFENDER_ENDPOINT'];
const SITES = ['本社', '大阪', '名古屋', '福岡', '札幌', 'DMZ', 'DC1', 'DC2'];
const CATEGORIES = ['malware', 'network', 'c2', 'exploit', 'scan', 'policy', 'phishing', 'lateral-movement', 'credential-access', 'exfiltration'];
const SIGNATURES = [
  'ET MALWARE Win32/Emotet CnC Beacon',
  'ET TROJAN Cobalt Strike Beacon Observed',
  'ET SCAN Nmap Scripting Engine User-Agent Detected',
  'ET POLICY Outbound SMB to External Host',
  'Trojan.Win32.Qakbot <script>alert(1)</script>',
  'ET EXPLOIT Apache Log4j RCE Attempt (CVE-2021-44228)',
  'ET WEB_SERVER SQL Injection Attempt "UNION SELECT"',
  'ET INFO Suspicious Powershell Download Cradle',
  'Backdoor:Win64/CobaltStrike.NP!dha',
  'ET DNS Query to a *.onion proxy Domain',
  'ET POLICY Tor Relay Traffic',
  'Ransom:Win32/LockBit.A & variants',
];
const TITLES = ['Emotet の感染', 'C2 通信の検知', 'Cobalt Strike ビーコン', '外部への大量送信', 'ランサムウェアの兆候', 'センサー停止', '不審な PowerShell 実行', '認証情報の窃取の試み'];
const ENGINEERS = ['佐藤 一郎', '鈴木 花子', '高橋 健', '田中 美咲'];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function uuid(r: () => number): string {
  const h = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
}

function counted(r: () => number, keys: string[], scale: number, labels?: string[]): Counted[] {
  return keys
    .map((key, i) => ({ key, label: labels?.[i] ?? null, count: 1 + Math.floor(r() * scale) }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function statistics(r: () => number, month: string, sensors: { id: string; name: string; product: string }[], scale: number): VerdictStatistics {
  const m = tokyoMonth(month);
  const byDay = Array.from({ length: m.days }, (_, d) => ({
    day: `${month}-${String(d + 1).padStart(2, '0')}`,
    HIGH: Math.floor(r() * 40 * scale),
    MEDIUM: Math.floor(r() * 300 * scale),
    LOW: Math.floor(r() * 1500 * scale),
  }));
  const bySeverity = Object.fromEntries(SOC_SEVERITIES.map((s) => [s, byDay.reduce((a, d) => a + d[s], 0)])) as Record<SocSeverity, number>;
  const total = bySeverity.HIGH + bySeverity.MEDIUM + bySeverity.LOW;
  const signatures = [...SIGNATURES].sort(() => r() - 0.5).slice(0, 10);
  return {
    total,
    bySeverity,
    byDay,
    bySensor: counted(
      r,
      sensors.map((s) => s.id),
      total / 12,
      sensors.map((s) => s.name),
    ),
    byProduct: counted(r, PRODUCTS, total / 3),
    byCategory: counted(r, CATEGORIES, total / 5),
    topSignatures: counted(r, signatures, total / 8),
    lowBySignature: counted(r, signatures, bySeverity.LOW / 8),
    lowBySensor: counted(
      r,
      sensors.slice(0, 10).map((s) => s.id),
      bySeverity.LOW / 8,
      sensors.slice(0, 10).map((s) => s.name),
    ),
    blocked: Math.floor(total * 0.4),
  };
}

// November 2026 (and its October) of a busy customer; `seed` varies every count and name.
export function busyMonthInput(seed: number, lang: 'ja' | 'en' = 'ja', month = '2026-11'): MonthlyReportInput {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const m = tokyoMonth(month);
  const at = (dayFraction: number) => new Date(m.from.getTime() + dayFraction * 86_400_000);
  const sensors = Array.from({ length: 24 }, (_, i) => ({ id: uuid(r), product: PRODUCTS[i % PRODUCTS.length], name: `${PRODUCTS[i % PRODUCTS.length].split('_')[0]}-${pick(SITES)}-${String(i + 1).padStart(2, '0')}` }));
  const incidents: IncidentFact[] = Array.from({ length: 110 + Math.floor(r() * 20) }, () => {
    const incidentId = uuid(r);
    const opened = at(r() * (m.days - 1));
    const severity = pick(['HIGH', 'HIGH', 'MEDIUM'] as const);
    const clock = (clock: 'ANALYSIS' | 'FIRST_REPORT' | 'DETAILED_REPORT', minutes: number) => {
      const dueAt = new Date(opened.getTime() + minutes * 60_000);
      const late = r() < 0.06;
      const running = r() < 0.04;
      return { clock, dueAt: dueAt.toISOString(), metAt: running ? null : new Date(dueAt.getTime() + (late ? 1 : -1) * r() * minutes * 30_000).toISOString(), breached: late && !running };
    };
    return {
      incidentId,
      customerId: 'bench',
      snapshot: {
        incidentId,
        version: 3,
        kind: r() < 0.9 ? ('SECURITY' as const) : ('AVAILABILITY' as const),
        severity,
        status: pick(['NOTIFIED', 'CONTAINED', 'RESOLVED', 'CLOSED', 'CLOSED'] as const),
        title: `${pick(TITLES)} (${pick(sensors).name})`,
        openedAt: opened.toISOString(),
        resolvedAt: null,
        groupId: null,
        sensorId: null,
        verdictIds: [],
        alertIds: [],
        sla: [clock('ANALYSIS', 30), clock('FIRST_REPORT', 60), ...(severity === 'HIGH' ? [clock('DETAILED_REPORT', 24 * 60)] : [])],
        findings: { whatIsHappening: null, howDangerous: null, whatToDo: null },
        timeline: [],
      },
    };
  }).sort((a, b) => a.snapshot.openedAt.localeCompare(b.snapshot.openedAt));
  const observedMs = m.days * 86_400_000;
  const uptime: SensorUptime[] = sensors.map((s) => {
    const outages = r() < 0.3 ? 1 + Math.floor(r() * 3) : 0;
    const downMs = outages * Math.floor(r() * 4 * 3_600_000);
    return { sensorId: s.id, name: s.name, product: s.product, productVersion: `${7 + Math.floor(r() * 4)}.${Math.floor(r() * 10)}.${Math.floor(r() * 20)}`, observedMs, downMs, outages, uptimePercent: Math.round((1 - downMs / observedMs) * 10_000) / 100 };
  });
  const maintenance: MaintenanceWindowFact[] = Array.from({ length: 10 }, (_, i) => {
    const s = i % 4 === 0 ? null : pick(sensors);
    const startsAt = at(r() * (m.days - 1));
    return {
      windowId: uuid(r),
      sensorId: s?.id ?? null,
      sensorName: s?.name ?? null,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      reason: pick(['VERSION_UPGRADE', 'DEVICE_REPLACEMENT', 'OTHER']),
      note: r() < 0.5 ? `${pick(['OS', 'シグネチャ', 'ファームウェア'])} の更新 & 再起動 <計画停止>` : null,
    };
  });
  const workOrders: WorkOrderFact[] = Array.from({ length: 14 }, () => {
    const s = pick(sensors);
    const plannedStart = at(r() * (m.days - 1));
    const upgrade = r() < 0.8;
    return {
      workOrderId: uuid(r),
      sensorId: s.id,
      sensorName: s.name,
      kind: upgrade ? 'VERSION_UPGRADE' : 'HARDWARE_REPLACEMENT',
      plannedStart,
      plannedEnd: new Date(plannedStart.getTime() + 2 * 3_600_000),
      engineer: pick(ENGINEERS),
      outcome: pick(['DONE', 'DONE', 'FAILED', 'CANCELLED', null]),
      completedAt: null,
      fromVersion: upgrade ? '9.0.3' : null,
      toVersion: upgrade ? '10.0.1' : null,
      oldSerial: upgrade ? null : `SN-${uuid(r).slice(0, 8)}`,
      newSerial: upgrade ? null : `SN-${uuid(r).slice(0, 8)}`,
      notes: r() < 0.3 ? '再起動 1 回 <手順書どおり>' : null,
    };
  });
  const isolations: IsolationOutcomeFact[] = Array.from({ length: 40 }, (_, i) => {
    const outcome = pick(['ISOLATED', 'ISOLATED', 'RELEASED', 'FAILED'] as const);
    return {
      isolationId: uuid(r),
      incidentId: incidents[i % incidents.length].incidentId,
      endpointId: uuid(r),
      outcome,
      at: at(r() * (m.days - 1)),
      vendor: 'CROWDSTRIKE_FALCON',
      hostName: `PC-${pick(['経理', '営業', '開発', '総務'])}-${String(Math.floor(r() * 200)).padStart(3, '0')}`,
      error: outcome === 'FAILED' ? 'endpoint offline (last seen 3 days ago)' : null,
    };
  }).sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    lang,
    month,
    customerName: `株式会社サンプル商事 第${seed}事業部 <Sample & Co.>`,
    provisional: false,
    generatedAt: new Date(m.to.getTime() + 90 * 60_000),
    stats: statistics(r, month, sensors, 1),
    previous: statistics(r, month, sensors, 0.9),
    incidents,
    uptime,
    maintenance,
    workOrders,
    isolations,
  };
}
