// `npm run bench -- reporting`: 100 monthly reports of busy customers rendered the way the product
// renders them: a month of facts (services/reporting/src/testing/busy-month.ts: 24 sensors, tens
// of thousands of verdicts, ~120 incidents with SLA clocks, outages, maintenance, isolations)
// through buildMonthlyReportView and monthlyReportDocument (the real template: charts, tables,
// header and footer on every page) into PdfRenderer's warm pool. Each pool size in
// REPORTING_BENCH_POOLS (default: 1 and 2 browsers) renders the 100 reports, as many at a time as
// it has browsers; then the baseline from the same run: bare Puppeteer with its defaults (launch,
// newPage, setContent, pdf, close per report) on the same documents.
// Figures: p50/p99 wall time per report, throughput, CPU seconds per report (node + every
// Chromium process, from /proc/<pid>/stat: what a report costs on a quiet machine), peak PSS of
// node plus all its Chromium descendants (/proc/<pid>/smaps_rollup, sampled every 200 ms; the
// sampling's own CPU is left out) and,
// for reference only, the summed RSS of the same processes (counts shared pages once per process).
// A short profile splits one browser's render into setContent and printing.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { buildMonthlyReportView } from '../services/reporting/src/monthly-reports/monthly-report.view';
import { monthlyReportDocument } from '../services/reporting/src/monthly-reports/monthly-report.template';
import { ChromiumBrowser } from '../services/reporting/src/rendering/chromium-browser';
import { PdfRenderer, printOptions } from '../services/reporting/src/rendering/pdf-renderer';
import { defaultBrowsers } from '../services/reporting/src/rendering/pdf-renderer.options';
import { RenderOptions } from '../services/reporting/src/rendering/render-options';
import { busyMonthInput } from '../services/reporting/src/testing/busy-month';
import { pdfFonts, pdfInfo } from '../services/reporting/src/testing/pdf-text';
import { appendBenchmark, table } from './report';

const REPORTS = Number(process.env.REPORTING_BENCH_REPORTS ?? 100);
const BASELINE_REPORTS = Number(process.env.REPORTING_BENCH_BASELINE_REPORTS ?? 20);
const POOLS = (process.env.REPORTING_BENCH_POOLS ?? '1,2').split(',').map(Number);
const PROFILE_REPORTS = Number(process.env.REPORTING_BENCH_PROFILE_REPORTS ?? 10);
const CHROMIUM = process.env.REPORT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const CLOCK_TICKS = 100; // USER_HZ on Linux

interface Proc {
  ppid: number;
  cpuTicks: number; // utime + stime + cutime + cstime (its own and its reaped children's)
  rss: number;
}

function processes(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(d), { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]), rss: Number(f[21]) * 4096 });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

// This process and all its descendants (every Chromium it launched and their children).
function tree(): { pids: number[]; procs: Map<number, Proc> } {
  const procs = processes();
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const pids: number[] = [];
  const stack = [process.pid];
  while (stack.length) {
    const p = stack.pop()!;
    pids.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return { pids, procs };
}

// CPU seconds the tree has used so far. A process's reaped children count through its cutime /
// cstime, so browsers closed during a phase still count once node has reaped them.
function treeCpuSeconds(): number {
  const { pids, procs } = tree();
  return pids.reduce((s, p) => s + (procs.get(p)?.cpuTicks ?? 0), 0) / CLOCK_TICKS;
}

function pssOf(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Measured<T> {
  result: T;
  peakPss: number;
  peakRss: number;
  cpuSeconds: number;
}

// Runs `work` while sampling the tree's summed PSS and RSS every 200 ms; CPU from before to after,
// less what the sampling itself cost this process (it reads every process's /proc/<pid>/stat).
async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  let peakPss = 0;
  let peakRss = 0;
  let samplingMicros = 0;
  const sample = () => {
    const before = process.cpuUsage();
    const { pids, procs } = tree();
    peakPss = Math.max(peakPss, pids.reduce((s, p) => s + pssOf(p), 0));
    peakRss = Math.max(peakRss, pids.reduce((s, p) => s + (procs.get(p)?.rss ?? 0), 0));
    const used = process.cpuUsage(before);
    samplingMicros += used.user + used.system;
  };
  const cpu0 = treeCpuSeconds();
  const timer = setInterval(sample, 200);
  try {
    const result = await work();
    sample();
    return { result, peakPss, peakRss, cpuSeconds: treeCpuSeconds() - cpu0 - samplingMicros / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// `count` renders, `workers` at a time; each one's wall time from its start to its PDF.
async function timeAll(count: number, workers: number, one: (i: number) => Promise<Buffer>): Promise<{ times: number[]; wallMs: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await one(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  return { times: times.sort((a, b) => a - b), wallMs: performance.now() - started };
}

interface Doc {
  html: string;
  options: RenderOptions;
}

// What someone would write with Puppeteer and nothing else: its default launch (plus
// --no-sandbox, which a container needs), a new page, setContent, pdf with the same header.
async function barePuppeteer(doc: Doc): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'kanshi-bench-bare-'));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir: dir, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.setContent(doc.html, { waitUntil: 'load' });
    const { tagged: _t, outline: _o, ...defaults } = printOptions(doc.options);
    return Buffer.from(await page.pdf(defaults));
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// One pooled browser's render split into its two steps, on the renderer's own page and options.
async function profile(docs: Doc[]): Promise<{ setContent: number[]; print: number[]; cpu: number }> {
  const browser = await ChromiumBrowser.launch(CHROMIUM);
  const setContent: number[] = [];
  const print: number[] = [];
  try {
    const page = await browser.openPage();
    await page.setContent(docs[0].html, { waitUntil: 'load' });
    await page.pdf(printOptions(docs[0].options));
    const cpu0 = treeCpuSeconds();
    for (const doc of docs) {
      const t0 = performance.now();
      await page.setContent(doc.html, { waitUntil: 'load' });
      const t1 = performance.now();
      await page.pdf(printOptions(doc.options));
      setContent.push(t1 - t0);
      print.push(performance.now() - t1);
    }
    return { setContent: setContent.sort((a, b) => a - b), print: print.sort((a, b) => a - b), cpu: (treeCpuSeconds() - cpu0) / docs.length };
  } finally {
    await browser.close();
  }
}

const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

export async function run(): Promise<void> {
  const docs: Doc[] = Array.from({ length: Math.max(REPORTS, BASELINE_REPORTS) }, (_, i) => monthlyReportDocument(buildMonthlyReportView(busyMonthInput(i + 1))));
  const loadBefore = load();
  const rows: string[][] = [];
  let sample: Buffer | undefined;
  for (const browsers of POOLS) {
    const renderer = new PdfRenderer({ chromiumPath: CHROMIUM, browsers, timeoutMs: 120_000, maxRendersPerBrowser: 1000 });
    try {
      // Warm: a report on every browser before timing.
      const warm = await Promise.all(Array.from({ length: browsers }, (_, i) => renderer.render(docs[i].html, docs[i].options)));
      sample ??= warm[0];
      const m = await measured(() => timeAll(REPORTS, browsers, (i) => renderer.render(docs[i].html, docs[i].options)));
      rows.push([
        `Kanshi pool, ${browsers} warm browser${browsers > 1 ? 's' : ''}${browsers === defaultBrowsers() ? ' (default here)' : ''}`,
        String(REPORTS),
        s(pct(m.result.times, 50)),
        s(pct(m.result.times, 99)),
        `${((REPORTS * 60_000) / m.result.wallMs).toFixed(1)}/min`,
        `${(m.cpuSeconds / REPORTS).toFixed(2)} s`,
        mb(m.peakPss),
        mb(m.peakRss),
      ]);
    } finally {
      await renderer.close();
    }
  }
  const prof = await profile(docs.slice(0, PROFILE_REPORTS));
  const bareAtOnce = defaultBrowsers();
  const bare = await measured(() => timeAll(BASELINE_REPORTS, bareAtOnce, (i) => barePuppeteer(docs[i])));
  rows.push([
    `bare Puppeteer (launch, setContent, pdf, close; ${bareAtOnce} at a time)`,
    String(BASELINE_REPORTS),
    s(pct(bare.result.times, 50)),
    s(pct(bare.result.times, 99)),
    `${((BASELINE_REPORTS * 60_000) / bare.result.wallMs).toFixed(1)}/min`,
    `${(bare.cpuSeconds / BASELINE_REPORTS).toFixed(2)} s`,
    mb(bare.peakPss),
    mb(bare.peakRss),
  ]);

  const info = sample ? await pdfInfo(sample) : {};
  const fonts = sample ? await pdfFonts(sample) : '';
  const embedded = [...new Set(fonts.split('\n').filter((l) => / yes /.test(l) && !/Type 3/.test(l)).map((l) => l.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, '')))];
  const type3 = fonts.split('\n').filter((l) => /Type 3/.test(l)).length;
  const out = [
    `The real monthly report (buildMonthlyReportView + monthlyReportDocument) of a busy customer (busy-month.ts): ${info.Pages ?? '?'} A4 pages, 4 SVG charts, an incident table of ~120 rows with SLA clocks, 11 more tables, header and footer on every page, Japanese text; ${Math.round(docs[0].html.length / 1024)} KB of HTML, ${Math.round((sample?.length ?? 0) / 1024)} KB of PDF; fonts embedded: ${embedded.join(', ') || 'none'}${type3 ? `, ${type3} Type 3 fonts` : ', no Type 3 fonts'}.`,
    `Targets: p50 < 1.5 s warm, peak memory (node + Chromium) < 1.5 GB. ${new Date().toISOString().slice(0, 10)}, ${process.platform}, ${availableParallelism()} cores, Node ${process.version}; load average ${loadBefore} before, ${load()} after.`,
    '',
    table(['renderer', 'reports', 'p50 / report', 'p99 / report', 'throughput', 'CPU / report (node + Chromium)', 'peak PSS (node + Chromium)', 'peak summed RSS (over-counts shared pages)'], rows),
    '',
    `Where a pooled render's time goes (one browser, ${PROFILE_REPORTS} reports, median): setContent ${s(pct(prof.setContent, 50))} (parse, style), page.pdf ${s(pct(prof.print, 50))} (layout for print, paint, PDF with fonts subset); ${prof.cpu.toFixed(2)} CPU s per report.`,
  ];
  console.log(out.join('\n'));
  appendBenchmark('reporting', out);
}
