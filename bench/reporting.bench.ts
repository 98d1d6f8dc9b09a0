// `npm run bench -- reporting`: monthly-like reports of a busy customer (13+ A4 pages: cover,
// summary, six SVG charts, top signatures, a 300-row alert table, incidents, sensors' up-time,
// maintenance, isolations, comparison with the previous month) rendered through Kanshi's warm
// pool (PdfRenderer, REPORT_BROWSERS browsers, one document per browser at a time), then the
// baseline from the same run: bare Puppeteer (launch, setContent, pdf, close per report).
// Figures: p50/p99 time per report, throughput, and peak RSS of this process plus every
// Chromium process (the browsers' process trees, summed from /proc).
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS } from '../services/reporting/src/rendering/chromium-browser';
import { documentShell } from '../services/reporting/src/rendering/document-shell';
import { escapeHtml, html, trustedHtml } from '../services/reporting/src/rendering/html';
import { SafeHtml } from '../services/reporting/src/rendering/safe-html';
import { PdfRenderer } from '../services/reporting/src/rendering/pdf-renderer';
import { appendBenchmark, table } from './report';

const REPORTS = Number(process.env.REPORTING_BENCH_REPORTS ?? 100);
const BASELINE_REPORTS = Number(process.env.REPORTING_BENCH_BASELINE_REPORTS ?? 30);
const BROWSERS = Number(process.env.REPORT_BROWSERS ?? 2);
const CHROMIUM = process.env.REPORT_CHROMIUM_PATH ?? '/usr/bin/chromium';

// A small deterministic generator, so every run renders the same 100 reports.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function barChart(title: string, data: { label: string; value: number }[], color: string): SafeHtml {
  const w = 640;
  const rowH = 22;
  const max = Math.max(1, ...data.map((d) => d.value));
  const bars = data
    .map((d, i) => {
      const len = Math.round((d.value / max) * (w - 220));
      return `<text x="0" y="${i * rowH + 15}" font-size="11">${escapeHtml(d.label)}</text><rect x="160" y="${i * rowH + 4}" width="${len}" height="14" fill="${color}"/><text x="${166 + len}" y="${i * rowH + 15}" font-size="11">${d.value.toLocaleString('ja-JP')}</text>`;
    })
    .join('');
  return trustedHtml(`<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${data.length * rowH + 8}" viewBox="0 0 ${w} ${data.length * rowH + 8}">${bars}</svg></figure>`);
}

function lineChart(title: string, series: number[][], colors: string[]): SafeHtml {
  const w = 640;
  const h = 220;
  const max = Math.max(1, ...series.flat());
  const paths = series
    .map((s, k) => `<polyline fill="none" stroke="${colors[k]}" stroke-width="2" points="${s.map((v, i) => `${40 + (i * (w - 60)) / (s.length - 1)},${h - 20 - (v / max) * (h - 40)}`).join(' ')}"/>`)
    .join('');
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => `<line x1="40" x2="${w - 20}" y1="${h - 20 - f * (h - 40)}" y2="${h - 20 - f * (h - 40)}" stroke="#ddd"/><text x="0" y="${h - 16 - f * (h - 40)}" font-size="10">${Math.round(f * max)}</text>`).join('');
  return trustedHtml(`<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${grid}${paths}</svg></figure>`);
}

function pieChart(title: string, data: { label: string; value: number }[]): SafeHtml {
  const total = data.reduce((a, d) => a + d.value, 0) || 1;
  const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  let angle = -Math.PI / 2;
  const slices = data
    .map((d, i) => {
      const a = (d.value / total) * Math.PI * 2;
      const [x1, y1] = [110 + 100 * Math.cos(angle), 110 + 100 * Math.sin(angle)];
      angle += a;
      const [x2, y2] = [110 + 100 * Math.cos(angle), 110 + 100 * Math.sin(angle)];
      return `<path d="M110,110 L${x1.toFixed(1)},${y1.toFixed(1)} A100,100 0 ${a > Math.PI ? 1 : 0} 1 ${x2.toFixed(1)},${y2.toFixed(1)} Z" fill="${colors[i % colors.length]}"/><rect x="240" y="${i * 20 + 10}" width="12" height="12" fill="${colors[i % colors.length]}"/><text x="258" y="${i * 20 + 21}" font-size="11">${escapeHtml(d.label)} ${d.value}</text>`;
    })
    .join('');
  return trustedHtml(`<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="520" height="230">${slices}</svg></figure>`);
}

const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW'];
const SENSORS = ['FG-TOKYO-01', 'FG-OSAKA-02', 'PA-HQ-CORE', 'SEP-MANAGER', 'TM-APEX-ONE', 'NX-2500-DMZ', 'CS-FALCON', 'DEF-ENDPOINT'];
const CATEGORIES = ['マルウェア', '不正アクセス', '情報漏えい', 'スキャン', 'C2通信', 'ポリシー違反'];

// A monthly report of a busy customer, different per seed.
export function monthlyLikeReport(seed: number): string {
  const r = rng(seed);
  const n = (m: number) => Math.floor(r() * m);
  const signatures = Array.from({ length: 20 }, (_, i) => ({ label: `ET MALWARE Win32/Emotet CnC Beacon ${i} <script>`, value: 50 + n(2000) }));
  const rows = Array.from(
    { length: 300 },
    (_, i) =>
      html`<tr><td>${`2026-11-${String(1 + (i % 30)).padStart(2, '0')} ${String(n(24)).padStart(2, '0')}:${String(n(60)).padStart(2, '0')}`}</td><td>${SEVERITIES[n(3)]}</td><td>${SENSORS[n(8)]}</td><td>${signatures[n(20)].label}</td><td>10.${n(255)}.${n(255)}.${n(255)}</td><td>203.0.113.${n(255)}</td><td class="num">${n(500)}</td></tr>`,
  );
  const days = (scale: number) => Array.from({ length: 30 }, () => n(scale));
  const body = html`
    <section><h1>月次報告書 2026年11月</h1><p>株式会社サンプル商事 御中</p><p>対象期間: 2026-11-01 〜 2026-11-30（Asia/Tokyo）</p>
      <h2>サマリー</h2><table><tr><th>アラート総数</th><td class="num">${(10000 + n(50000)).toLocaleString('ja-JP')}</td><th>インシデント</th><td class="num">${n(40)}</td></tr>
      <tr><th>SLA遵守率</th><td class="num">${(95 + r() * 5).toFixed(1)}%</td><th>隔離</th><td class="num">${n(12)}</td></tr></table></section>
    <section class="page-break"><h2>重要度別アラート件数</h2>${barChart('重要度別', SEVERITIES.map((s) => ({ label: s, value: n(20000) })), '#d62728')}
      ${lineChart('日別アラート件数', [days(2000), days(1200), days(600)], ['#d62728', '#ff7f0e', '#1f77b4'])}</section>
    <section class="page-break"><h2>センサー別</h2>${barChart('センサー別', SENSORS.map((s) => ({ label: s, value: n(10000) })), '#1f77b4')}
      ${pieChart('カテゴリ別', CATEGORIES.map((c) => ({ label: c, value: n(3000) })))}</section>
    <section class="page-break"><h2>上位シグネチャ</h2>${barChart('上位20シグネチャ', signatures, '#2ca02c')}</section>
    <section class="page-break"><h2>アラート一覧（抜粋300件）</h2><table><thead><tr><th>日時</th><th>重要度</th><th>センサー</th><th>シグネチャ</th><th>送信元</th><th>宛先</th><th class="num">件数</th></tr></thead><tbody>${rows}</tbody></table></section>
    <section class="page-break"><h2>インシデントとSLA</h2><table><thead><tr><th>番号</th><th>重要度</th><th>検知</th><th>通知</th><th>SLA</th></tr></thead><tbody>${Array.from({ length: 25 }, (_, i) => html`<tr><td>INC-${1000 + i}</td><td>${SEVERITIES[n(2)]}</td><td>2026-11-${String(1 + n(29)).padStart(2, '0')}</td><td>${n(50)}分</td><td>${r() > 0.05 ? '遵守' : '超過'}</td></tr>`)}</tbody></table>
      ${lineChart('LOWアラートの推移', [days(5000)], ['#7f7f7f'])}</section>
    <section class="page-break"><h2>センサー稼働率</h2><table>${SENSORS.map((s) => html`<tr><td>${s}</td><td class="num">${(99 + r()).toFixed(2)}%</td></tr>`)}</table>
      <h2>メンテナンス</h2><p>2026-11-14 02:00〜04:00 FG-TOKYO-01 ファームウェア更新</p><h2>隔離</h2><p>端末 PC-${n(999)} を 2026-11-08 に隔離、11-09 に解除</p>
      <h2>前月比較</h2>${barChart('前月比', [{ label: '10月', value: n(40000) }, { label: '11月', value: n(40000) }], '#9467bd')}</section>`;
  return documentShell({ lang: 'ja', title: '月次報告書', body });
}

// RSS (bytes) of a process and all its descendants, from /proc.
function treeRss(rootPids: number[]): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      rss.set(Number(d), Number(fields[21]) * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const seen = new Set<number>();
  const stack = [...rootPids];
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

// Peak RSS of this process and its children (every Chromium it launched) while `work` runs.
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, treeRss([process.pid])));
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timeAll(count: number, workers: number, one: (i: number) => Promise<Buffer>): Promise<{ times: number[]; wallMs: number; pages: number }> {
  const times: number[] = [];
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const pdf = await one(i);
        times.push(performance.now() - t0);
        bytes += pdf.length;
      }
    }),
  );
  return { times: times.sort((a, b) => a - b), wallMs: performance.now() - started, pages: bytes };
}

async function barePuppeteer(doc: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'kanshi-bench-bare-'));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir: dir, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    await page.setContent(doc, { waitUntil: 'load' });
    return Buffer.from(await page.pdf({ format: 'A4', printBackground: true }));
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const docs = Array.from({ length: Math.max(REPORTS, BASELINE_REPORTS) }, (_, i) => monthlyLikeReport(i + 1));
  const { execFileSync } = await import('node:child_process');
  const renderer = new PdfRenderer({ chromiumPath: CHROMIUM, browsers: BROWSERS, timeoutMs: 120_000, maxRendersPerBrowser: 1000 });
  let pagesPerReport = 0;
  try {
    // Warm: one report per browser before timing.
    const warm = await Promise.all(Array.from({ length: BROWSERS }, (_, i) => renderer.render(docs[i])));
    const info = execFileSync('pdfinfo', ['-'], { input: warm[0] }).toString();
    pagesPerReport = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
  } catch {
    // pdfinfo without stdin support: count page objects instead
  }
  const kanshi = await withPeakRss(() => timeAll(REPORTS, BROWSERS, (i) => renderer.render(docs[i])));
  await renderer.close();
  const bare = await withPeakRss(() => timeAll(BASELINE_REPORTS, BROWSERS, (i) => barePuppeteer(docs[i])));

  const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rows = [
    [`Kanshi pool (${BROWSERS} warm browsers)`, String(REPORTS), s(pct(kanshi.result.times, 50)), s(pct(kanshi.result.times, 99)), `${((REPORTS * 60_000) / kanshi.result.wallMs).toFixed(1)}/min`, mb(kanshi.peak)],
    [`bare Puppeteer (launch, setContent, pdf, close; ${BROWSERS} at a time)`, String(BASELINE_REPORTS), s(pct(bare.result.times, 50)), s(pct(bare.result.times, 99)), `${((BASELINE_REPORTS * 60_000) / bare.result.wallMs).toFixed(1)}/min`, mb(bare.peak)],
  ];
  const out = [
    `Monthly-like report of a busy customer: ${pagesPerReport || '13+'} A4 pages, 6 SVG charts, a 300-row table, Japanese text (${Math.round(docs[0].length / 1024)} KB of HTML).`,
    `Targets: p50 < 1.5 s warm, peak RSS (node + Chromium) < 1.5 GB. ${new Date().toISOString().slice(0, 10)}, ${process.platform}, Node ${process.version}.`,
    '',
    table(['renderer', 'reports', 'p50 / report', 'p99 / report', 'throughput', 'peak RSS incl. Chromium'], rows),
  ];
  console.log(out.join('\n'));
  appendBenchmark('reporting', out);
}
